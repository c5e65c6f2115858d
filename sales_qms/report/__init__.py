from . import qms_recall_scope
from . import qms_satisfaction_report
from . import report_service_monthly

from . import qms_recall_scope
from . import qms_sales_analysis
from . import qms_sales_cycle_report
from . import qms_satisfaction_report
from . import report_management_review
from . import report_quality_objectives
from . import report_service_monthly
from . import report_service_monthly_requests

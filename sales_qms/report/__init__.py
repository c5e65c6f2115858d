from . import qms_sales_analysis
from . import qms_sales_cycle_report
from . import report_management_review
from . import report_quality_objectives

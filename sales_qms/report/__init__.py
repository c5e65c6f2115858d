from . import qms_sales_analysis
from . import qms_sales_cycle_report

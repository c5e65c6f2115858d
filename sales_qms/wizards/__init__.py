from . import qms_service_report_wizard

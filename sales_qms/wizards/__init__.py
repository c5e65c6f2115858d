from . import qms_lot_status_wizard

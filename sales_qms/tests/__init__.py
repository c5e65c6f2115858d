from . import test_harness
from . import test_lot_status
from . import test_lot_shipping
from . import test_lot_recall
from . import test_lot_tour

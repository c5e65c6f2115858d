from . import test_harness
from . import test_delivery_inspection
from . import test_delivery_release
from . import test_delivery_inspection_ui

from . import test_harness
from . import test_claim
from . import test_claim_fulfilment

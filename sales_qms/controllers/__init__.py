from . import portal
from . import portal_customer
from . import portal_service

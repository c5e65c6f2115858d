"""The inspection statuses of a lot, shared by the lot, its log and the wizard."""

QMS_LOT_STATUS = [
    ("pending", "Pending inspection"),
    ("qualified", "Qualified"),
    ("nonconforming", "Non-conforming"),
    ("pending_disposition", "Pending disposition"),
    ("scrapped", "Scrapped"),
]

# statuses that take a lot off open customer deliveries
QMS_LOT_BLOCKING_STATUS = ("nonconforming", "pending_disposition")

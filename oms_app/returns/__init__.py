"""Returns (退货): customers and staff ask to send shipped goods back; the warehouse receives
them, stock and the books follow."""

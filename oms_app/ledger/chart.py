"""The chart of accounts, named after the Chinese enterprise accounting standards (企业会计准则).

Codes are fixed; finance may rename accounts, deactivate them and add their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AccountKind(StrEnum):
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    REVENUE = "revenue"
    EXPENSE = "expense"


class Side(StrEnum):
    DEBIT = "debit"
    CREDIT = "credit"


NORMAL_SIDE = {
    AccountKind.ASSET: Side.DEBIT,
    AccountKind.EXPENSE: Side.DEBIT,
    AccountKind.LIABILITY: Side.CREDIT,
    AccountKind.EQUITY: Side.CREDIT,
    AccountKind.REVENUE: Side.CREDIT,
}


@dataclass(frozen=True)
class AccountSpec:
    code: str
    name_zh: str
    name_en: str
    kind: AccountKind
    side: Side | None = None  # contra accounts (accumulated depreciation) override the kind's

    @property
    def normal_side(self) -> Side:
        return self.side or NORMAL_SIDE[self.kind]


CASH = "1001"
BANK = "1002"
RECEIVABLES = "1122"
INVENTORY = "1405"
PAYABLES = "2202"
ADVANCE_RECEIPTS = "2203"
VAT_PAYABLE = "2221"
PAID_IN_CAPITAL = "4001"
CURRENT_PROFIT = "4103"
RETAINED_EARNINGS = "4104"
MAIN_REVENUE = "6001"
OTHER_REVENUE = "6051"
NON_OPERATING_INCOME = "6301"
MAIN_COST = "6401"
SELLING_EXPENSES = "6601"
ADMIN_EXPENSES = "6602"
NON_OPERATING_EXPENSES = "6711"

A, L, E, R, X = (
    AccountKind.ASSET,
    AccountKind.LIABILITY,
    AccountKind.EQUITY,
    AccountKind.REVENUE,
    AccountKind.EXPENSE,
)
STANDARD_CHART: tuple[AccountSpec, ...] = (
    AccountSpec("1001", "库存现金", "Cash on hand", A),
    AccountSpec("1002", "银行存款", "Bank deposits", A),
    AccountSpec("1012", "其他货币资金", "Other monetary funds", A),
    AccountSpec("1122", "应收账款", "Accounts receivable", A),
    AccountSpec("1123", "预付账款", "Prepayments", A),
    AccountSpec("1221", "其他应收款", "Other receivables", A),
    AccountSpec("1405", "库存商品", "Inventory goods", A),
    AccountSpec("1601", "固定资产", "Fixed assets", A),
    AccountSpec("1602", "累计折旧", "Accumulated depreciation", A, Side.CREDIT),
    AccountSpec("2202", "应付账款", "Accounts payable", L),
    AccountSpec("2203", "预收账款", "Advance receipts", L),
    AccountSpec("2211", "应付职工薪酬", "Payroll payable", L),
    AccountSpec("2221", "应交税费", "Taxes payable", L),
    AccountSpec("2241", "其他应付款", "Other payables", L),
    AccountSpec("4001", "实收资本", "Paid-in capital", E),
    AccountSpec("4002", "资本公积", "Capital reserve", E),
    AccountSpec("4101", "盈余公积", "Surplus reserve", E),
    AccountSpec("4103", "本年利润", "Current-year profit", E),
    AccountSpec("4104", "利润分配", "Profit distribution (retained earnings)", E),
    AccountSpec("6001", "主营业务收入", "Main business revenue", R),
    AccountSpec("6051", "其他业务收入", "Other business revenue", R),
    AccountSpec("6301", "营业外收入", "Non-operating income", R),
    AccountSpec("6401", "主营业务成本", "Main business cost", X),
    AccountSpec("6402", "其他业务成本", "Other business cost", X),
    AccountSpec("6403", "税金及附加", "Taxes and surcharges", X),
    AccountSpec("6601", "销售费用", "Selling expenses", X),
    AccountSpec("6602", "管理费用", "Administrative expenses", X),
    AccountSpec("6603", "财务费用", "Financial expenses", X),
    AccountSpec("6711", "营业外支出", "Non-operating expenses", X),
    AccountSpec("6801", "所得税费用", "Income tax expense", X),
)

# The accounts the automatic postings use: they can be renamed but never deactivated.
SYSTEM_ACCOUNTS = frozenset(
    {
        CASH,
        BANK,
        RECEIVABLES,
        INVENTORY,
        PAYABLES,
        ADVANCE_RECEIPTS,
        VAT_PAYABLE,
        MAIN_REVENUE,
        OTHER_REVENUE,
        NON_OPERATING_INCOME,
        MAIN_COST,
        NON_OPERATING_EXPENSES,
    }
)

# Where an expense entered by finance may be paid from.
EXPENSE_FUNDING_ACCOUNTS = frozenset({CASH, BANK, PAYABLES, "2241"})


def kind_of_code(code: str) -> AccountKind:
    """The kind a new account code belongs to, by its first digit (1 assets ... 6 P&L)."""
    head = code[:1]
    if head == "1":
        return AccountKind.ASSET
    if head == "2":
        return AccountKind.LIABILITY
    if head in ("3", "4"):
        return AccountKind.EQUITY
    if code[:2] in ("60", "61", "63"):
        return AccountKind.REVENUE
    return AccountKind.EXPENSE

"""The demo log-ins (documented in the README; listed on the log-in page in embedded mode)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    display_name: str
    locale: str = "zh_CN"


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "admin-demo-1", "admin", "系统管理员 Admin"),
    DemoAccount("sales", "sales-demo-1", "sales", "王芳"),
    DemoAccount("sales2", "sales2-demo-1", "sales", "赵磊"),
    DemoAccount("sales3", "sales3-demo-1", "sales", "孙丽"),
    DemoAccount("manager", "manager-demo-1", "sales_manager", "李强"),
    DemoAccount("finance", "finance-demo-1", "finance", "张敏"),
    DemoAccount("warehouse", "warehouse-demo-1", "warehouse", "刘洋"),
    DemoAccount("exec", "exec-demo-1", "executive", "陈刚"),
    DemoAccount("customer", "customer-demo-1", "customer", "华东贸易 采购部", "zh_CN"),
)

"""xxgk: find, fetch and read 政府信息公开工作年度报告 into typed, citable datasets."""

__version__ = "0.1.0"

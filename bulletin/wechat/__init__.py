"""The WeChat (公众号) version of articles: `bulletin wechat ISSUE [ARTICLE]` (bulletin/wechat/export.py)."""

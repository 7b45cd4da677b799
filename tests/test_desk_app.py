"""bulletin/desk/app.py, access.py, throttle.py and accounts.py through Flask's test client: accounts,
login, sessions that expire, the login rate limit, CSRF, cookies, headers, size limit and roles."""

from __future__ import annotations

import re
import stat

import pytest
from conftest import run_cli

from bulletin.desk import accounts
from bulletin.desk.app import create_app
from bulletin.desk.throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def desk(project):
    accounts.add_user(project, "wang", "editor", "editor-pass-1", "王晓明")
    accounts.add_user(project, "li", "chief", "chief-pass-1", "李主编")
    clock = Clock()
    app = create_app(
        project,
        idle_minutes=30,
        absolute_hours=8,
        clock=clock,
        throttle=LoginThrottle(per_name=3, per_ip=6, window=600, clock=clock),
    )
    app.clock = clock
    return app


def csrf(client, path="/login") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def login(client, name="wang", password="editor-pass-1", **extra):
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": csrf(client), **extra},
        environ_base=extra.pop("environ_base", None) or {"REMOTE_ADDR": "10.0.0.5"},
    )


def test_accounts_file_holds_argon2_hashes_only(project):
    accounts.add_user(project, "zhang", "editor", "a-long-password", "张三")
    path = project / ".desk" / "accounts.yaml"
    text = path.read_text(encoding="utf-8")
    assert "a-long-password" not in text and "$argon2id$" in text and "张三" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert accounts.authenticate(project, "zhang", "a-long-password").role == "editor"
    assert accounts.authenticate(project, "zhang", "wrong-password") is None
    assert accounts.authenticate(project, "nobody", "a-long-password") is None
    with pytest.raises(accounts.AccountError, match="已经存在"):
        accounts.add_user(project, "zhang", "chief", "another-password")
    with pytest.raises(accounts.AccountError, match="太短"):
        accounts.add_user(project, "zhao", "editor", "short")
    with pytest.raises(accounts.AccountError, match="不可用"):
        accounts.add_user(project, "../etc", "editor", "a-long-password")
    accounts.set_password(project, "zhang", "a-new-password")
    assert accounts.authenticate(project, "zhang", "a-long-password") is None
    accounts.remove_user(project, "zhang")
    assert accounts.load_accounts(project) == {}


def test_accounts_file_that_is_a_link_is_refused(project, tmp_path):
    (project / ".desk").mkdir()
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("users: []\n")
    (project / ".desk" / "accounts.yaml").symlink_to(outside)
    with pytest.raises(accounts.AccountError, match="不是普通文件"):
        accounts.load_accounts(project)


def test_login_wrong_password_then_right(desk):
    c = desk.test_client()
    r = login(c, password="wrong")
    assert r.status_code == 401 and "用户名或密码不对" in r.get_data(as_text=True)
    assert c.get("/").status_code == 302  # still not logged in
    r = login(c)
    assert r.status_code == 302 and r.headers["Location"] == "/"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_next_goes_only_to_a_page_of_the_desk(desk):
    c = desk.test_client()
    assert login(c, next="//evil.example/x").headers["Location"] == "/"
    c = desk.test_client()
    assert login(c, next="/issues/2026-01").headers["Location"] == "/issues/2026-01"


def test_rate_limit_per_name_and_per_address(desk):
    c = desk.test_client()
    for _ in range(3):
        assert login(c, password="nope").status_code == 401
    r = login(c)  # the right password, but the name is locked for now
    assert r.status_code == 429 and "分钟后再试" in r.get_data(as_text=True)
    desk.clock.now += 601
    assert login(c).status_code == 302
    # one address trying many names
    c2 = desk.test_client()
    for n in range(6):
        assert (
            login(c2, name=f"guess{n}", password="x", environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code
            == 401
        )
    r = login(c2, name="li", password="chief-pass-1", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert r.status_code == 429
    assert login(desk.test_client(), name="li", password="chief-pass-1").status_code == 302  # another address


def test_session_expires_when_idle_and_after_the_absolute_limit(desk):
    c = desk.test_client()
    login(c)
    desk.clock.now += 31 * 60
    r = c.get("/issues/2026-01")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert "登录已过期" in c.get("/login").get_data(as_text=True)
    # a form sent after the session expired is refused, not carried out
    c = desk.test_client()
    login(c)
    token = csrf(c, "/no-such-page")  # any page of the desk carries the token
    desk.clock.now += 31 * 60
    r = c.post("/issues/new", data={"csrf_token": token})
    assert r.status_code == 401 and r.get_data(as_text=True).count("登录已过期") == 1
    assert not (desk.config["DESK_ROOT"] / "content" / "2026" / "02").exists()
    # busy all day: still out after 8 hours
    c = desk.test_client()
    login(c)
    for _ in range(9):
        desk.clock.now += 55 * 60
        c.get("/login")  # a request keeps it from being idle
    assert c.get("/issues/2026-01").status_code == 302


def test_new_password_or_removed_account_ends_sessions(desk, project):
    c = desk.test_client()
    login(c)
    assert c.get("/login").status_code == 302  # logged in: the login page sends you on
    accounts.set_password(project, "wang", "brand-new-pass")
    assert c.get("/login").status_code == 200
    c = desk.test_client()
    login(c, name="li", password="chief-pass-1")
    accounts.remove_user(project, "li")
    assert c.get("/login").status_code == 200


def test_post_without_csrf_token_is_refused(desk):
    c = desk.test_client()
    r = c.post("/login", data={"name": "wang", "password": "editor-pass-1"})
    assert r.status_code == 400 and "表单已过期" in r.get_data(as_text=True)
    login(c)
    r = c.post("/issues/new")
    assert r.status_code == 400
    r = c.post("/issues/2026-01/order", json={"layout": []})
    assert r.status_code == 400 and "表单已过期" in r.get_json()["error"]


def test_security_headers(desk):
    r = desk.test_client().get("/login")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'self'" in csp
    assert r.headers["X-Frame-Options"] == "SAMEORIGIN" and r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Cache-Control"] == "no-store"
    assert "<script>" not in r.get_data(as_text=True)  # no inline script anywhere


def test_request_size_limit(desk):
    c = desk.test_client()
    login(c)
    big = b"x" * (32 * 1024 * 1024)
    r = c.post("/issues/2026-01/import", data=big, content_type="application/octet-stream")
    assert r.status_code == 413 and "太大" in r.get_data(as_text=True)


def test_behind_proxy_trusts_forwarded_proto_and_sets_secure_cookie(project):
    accounts.add_user(project, "wang", "editor", "editor-pass-1")
    app = create_app(project, behind_proxy=True)
    c = app.test_client()
    head = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "203.0.113.9",
        "X-Forwarded-Host": "desk.example",
    }
    html = c.get("/login", headers=head, base_url="http://127.0.0.1").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    r = c.post(
        "/login",
        data={"name": "wang", "password": "editor-pass-1", "csrf_token": token},
        headers={**head, "Referer": "https://desk.example/login"},
        base_url="http://127.0.0.1",
    )
    assert r.status_code == 302 and "Secure" in r.headers["Set-Cookie"]
    assert r.headers["Strict-Transport-Security"]
    # without --behind-proxy the same headers are ignored
    plain = create_app(project).test_client()
    assert "Secure" not in plain.get("/login", headers=head).headers.get("Set-Cookie", "Secure-less")


def test_cli_user_commands(project):
    r = run_cli(
        "--root",
        str(project),
        "desk",
        "user",
        "add",
        "wang",
        "--role",
        "editor",
        "--display",
        "王晓明",
        "--password-stdin",
        input_text="pass-word-1\n",
    )
    assert r.returncode == 0 and "已添加账号 wang（编辑）" in r.stderr, r.stderr
    r = run_cli("--root", str(project), "desk", "user", "list")
    assert "wang\t编辑\t王晓明" in r.stdout
    r = run_cli(
        "--root",
        str(project),
        "desk",
        "user",
        "add",
        "wang",
        "--role",
        "chief",
        "--password-stdin",
        input_text="pass-word-2\n",
    )
    assert r.returncode == 1 and "已经存在" in r.stderr and "Traceback" not in r.stderr
    r = run_cli(
        "--root", str(project), "desk", "user", "passwd", "nobody", "--password-stdin", input_text="x\n"
    )
    assert r.returncode == 1 and "没有账号 nobody" in r.stderr
    r = run_cli("--root", str(project), "desk", "user", "add", "zhao", "--role", "editor")  # no terminal
    assert r.returncode == 1 and "--password-stdin" in r.stderr
    r = run_cli("--root", str(project), "desk", "user", "remove", "wang")
    assert r.returncode == 0 and accounts.load_accounts(project) == {}


def test_desk_refuses_to_start_without_accounts(project):
    r = run_cli("--root", str(project), "desk", "--port", "0", timeout=60)
    assert r.returncode == 1 and "bulletin desk user add" in r.stderr


def test_pages_speak_english_with_the_cli_language(desk, monkeypatch):
    from bulletin import messages

    monkeypatch.setattr(messages, "_LANG", "en")
    c = desk.test_client()
    page = c.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in to the desk" in page and "登录" not in page
    r = login(c, password="wrong")
    assert "Wrong user name or password" in r.get_data(as_text=True)

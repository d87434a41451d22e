"""Kế hoạch over HTTP: a plan document uploaded, its draft finished on the form and published the
chat's way; the form's round trip equals the YAML path; uploads over the limit, of a wrong kind or
without CSRF refused; another committee's plan neither published nor shown."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import aiohttp
import pytest
import yaml

from bot.channels.uploads import MAX_BYTES
from bot.plans import document_text
from schedules import catalog, plan_import
from tests.bot.drivers import TelegramDriver
from tests.bot.plans.test_committees import KB, TV
from tests.bot.plans.test_import_files import TRA_VINH_SEED, build_docx
from tests.bot.web.site import browser_session, logged_in, login_link, running_site

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
NEW = "60-kh-duk-2022"
ISSUER = "Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Trà Vinh"
# What the committee's staff write where the draft asks (its four todos), by path.
FILLED = {
    "issuer": ISSUER,
    "applies_to": "Các chi bộ trực thuộc Đảng ủy Khối",
    "milestones[0].who": "Ban Tuyên giáo Đảng ủy Khối",
    "milestones[0].audience": "upper",
    "milestones[1].who": "Ban Tuyên giáo Đảng ủy Khối",
    "milestones[1].audience": "upper",
    "recurring[0].who": "Các chi bộ",
    "recurring[0].to": "Ban Thường vụ Đảng ủy Khối (qua Ban Tuyên giáo)",
    "recurring[0].title": "Báo cáo quý kết quả đợt sinh hoạt chính trị",
}


class Form(HTMLParser):
    """The fields a browser would post from the page's form, as the page filled them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.checkboxes: list[tuple[str, str]] = []
        self._area: str | None = None
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            if a.get("type") == "checkbox":
                self.checkboxes.append((name, a.get("value") or ""))
            elif a.get("type") not in ("file", "submit"):
                self.values[name] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._area = name
            self.values[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._area = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._area:
            self.values[self._area] += data


@pytest.fixture
def driver(fake):
    return TelegramDriver(fake)


def tra_vinh_docx(seeds, tmp_path) -> bytes:
    path = tmp_path / "ke-hoach-60.docx"
    build_docx((seeds / TRA_VINH_SEED).read_text(encoding="utf-8"), path)
    return path.read_bytes()


async def upload(http: aiohttp.ClientSession, base: str, name: str, data: bytes, csrf: str | None):
    form = aiohttp.FormData()
    if csrf is not None:
        form.add_field("csrf", csrf)
    form.add_field("tep", data, filename=name, content_type="application/octet-stream")
    return await http.post(f"{base}/ke-hoach/tai-len", data=form, allow_redirects=False)


async def csrf_of(http, base) -> str:
    async with http.get(f"{base}/ke-hoach") as r:
        return CSRF.search(await r.text()).group(1)


def yaml_path_plan(docx: bytes) -> dict:
    """The same document's draft finished by hand in its YAML: the same values written, the
    todos deleted."""
    text = document_text.text_of("ke-hoach-60.docx", docx)
    data = yaml.safe_load(plan_import.build(text, "ke-hoach-60.docx").to_yaml())
    data["issuer"] = FILLED["issuer"]
    data["applies_to"] = FILLED["applies_to"]
    for m in data["milestones"]:
        m["who"], m["audience"] = "Ban Tuyên giáo Đảng ủy Khối", "upper"
    rec = data["recurring"][0]
    rec["who"], rec["to"] = FILLED["recurring[0].who"], FILLED["recurring[0].to"]
    rec["title"] = FILLED["recurring[0].title"]
    del data["todo"]
    plan, problems = catalog.load_text(yaml.safe_dump(data, allow_unicode=True), "tay.yaml")
    assert plan is not None, problems
    return plan.model_dump()


async def test_a_document_becomes_a_form_that_publishes_the_same_plan_as_the_yaml(
    driver, tmp_path, seeds
):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        link = await login_link(driver, cells, "b")
        async with browser_session() as http:
            await logged_in(http, link)
            async with await upload(
                http,
                base,
                "ke-hoach-60.docx",
                tra_vinh_docx(seeds, tmp_path),
                await csrf_of(http, base),
            ) as r:
                assert r.status == 303 and r.headers["Location"] == "/ke-hoach/ban-nhap"
            async with http.get(f"{base}/ke-hoach/ban-nhap") as r:
                page = await r.text()
            assert r.status == 200
            # each field beside its quote, the todo it needs, months and documents as rows
            assert "Còn 4 việc cần hoàn thiện" in page
            assert "“Thời gian: bắt đầu từ tháng 4 đến tháng 11/2022.”" in page
            assert "Không thấy đối tượng áp dụng" in page
            assert page.count('name="xoa" value="topics[') == 8 + 27
            assert 'name="f:milestones[0].who" value=""' in page
            assert "Nghị quyết 03-NQ/TW" in page

            form = Form(page)
            assert form.values["f:topics[0].documents[0].number"] == "03-NQ/TW"
            # Ban hành too early: the check's own messages, nothing published
            async with http.post(
                f"{base}/ke-hoach/ban-nhap", data={**form.values, "action": "ban-hanh"}
            ) as r:
                early = await r.text()
            assert r.status == 422 and "Chưa ban hành" in early
            assert not (tmp_path / "plans" / f"{NEW}.yaml").exists()

            # the todos done on the form, every other field posted back as the page showed it
            form = Form(early)
            values = {**form.values, **{f"f:{k}": v for k, v in FILLED.items()}}
            todo_done = [v for n, v in form.checkboxes if n == "xong"]
            assert len(todo_done) == 4
            async with http.post(
                f"{base}/ke-hoach/ban-nhap",
                data=[*values.items(), *(("xong", i) for i in todo_done), ("action", "ban-hanh")],
            ) as r:
                done = await r.text()
            assert r.status == 200, done
            assert f"📢 Đã ban hành 60-KH/ĐUK ({NEW})" in done
            assert "Tháng 4/2022" in done and "Nghị quyết 03-NQ/TW" in done  # its calendar

            async with http.get(f"{base}/ke-hoach") as r:
                listed = await r.text()
            assert f'href="/ke-hoach/{NEW}"' in listed and "Đang có bản nháp" not in listed
    published = (tmp_path / "plans" / f"{NEW}.yaml").read_text(encoding="utf-8")
    plan, problems = catalog.load_text(published, f"{NEW}.yaml")
    assert plan is not None, problems
    assert plan.model_dump() == yaml_path_plan(tra_vinh_docx(seeds, tmp_path))


async def test_rows_are_added_and_removed_and_the_yaml_follows(driver, tmp_path, seeds):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        link = await login_link(driver, cells, "b")
        async with browser_session() as http:
            await logged_in(http, link)
            async with await upload(
                http,
                base,
                "ke-hoach-60.docx",
                tra_vinh_docx(seeds, tmp_path),
                await csrf_of(http, base),
            ) as r:
                assert r.status == 303
            async with http.get(f"{base}/ke-hoach/ban-nhap") as r:
                form = Form(await r.text())
            rows = [*form.values.items(), ("xoa", "topics[0].documents[1]"), ("xoa", "topics[7]")]
            async with http.post(
                f"{base}/ke-hoach/ban-nhap", data=[*rows, ("action", "them:deadlines")]
            ) as r:
                page = await r.text()
            assert 'name="f:deadlines[0].who"' in page and 'name="f:deadlines[0].before"' in page
            async with http.get(f"{base}/ke-hoach/ban-nhap.yaml") as r:
                data = yaml.safe_load(await r.text())
    assert [t["month"] for t in data["topics"]][-1] == "10/2022"
    assert [d["number"] for d in data["topics"][0]["documents"]] == [
        "03-NQ/TW",
        "18-CTr/TU",
        "03-NQ/TU",
    ]
    assert data["deadlines"] == [{}]  # a new row, nothing written in it yet


async def test_uploads_refused_over_the_limit_of_a_wrong_kind_or_without_csrf(driver, tmp_path):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        link = await login_link(driver, cells, "b")
        async with browser_session() as http:
            async with await upload(http, base, "a.txt", b"x" * 100, "sai") as r:
                assert r.status == 401  # not logged in
            await logged_in(http, link)
            token = await csrf_of(http, base)
            async with await upload(http, base, "a.txt", b"x" * (MAX_BYTES + 1), token) as r:
                assert r.status == 413 and "quá lớn" in await r.text()
            async with await upload(http, base, "a.txt", b"x" * (8 * MAX_BYTES), token) as r:
                assert r.status == 413 and "quá lớn" in await r.text()
            async with await upload(http, base, "anh.jpg", b"x" * 100, token) as r:
                assert r.status == 422 and "chỉ nhận kế hoạch dạng" in await r.text()
            async with await upload(http, base, "a.txt", b"Ke hoach", None) as r:
                assert r.status == 403 and "tải lại trang" in await r.text()
            async with await upload(http, base, "a.txt", b"Ke hoach", "sai") as r:
                assert r.status == 403
            async with http.post(f"{base}/ke-hoach/ban-nhap", data={"action": "luu"}) as r:
                assert r.status == 403
            async with http.get(f"{base}/ke-hoach/ban-nhap", allow_redirects=False) as r:
                assert r.status == 303  # no draft was made


async def test_another_committee_cannot_publish_it_nor_see_its_calendar(driver, tmp_path, seeds):
    async with running_site(driver, tmp_path) as (bot, cells, base):
        link = await login_link(driver, cells, "a")  # Huyện ủy Kim Bang
        async with browser_session() as http:
            await logged_in(http, link)
            async with await upload(
                http,
                base,
                "ke-hoach-60.docx",
                tra_vinh_docx(seeds, tmp_path),
                await csrf_of(http, base),
            ) as r:
                assert r.status == 303
            async with http.get(f"{base}/ke-hoach/ban-nhap") as r:
                form = Form(await r.text())
            values = {**form.values, **{f"f:{k}": v for k, v in FILLED.items()}}
            todo_done = [v for n, v in form.checkboxes if n == "xong"]
            async with http.post(
                f"{base}/ke-hoach/ban-nhap",
                data=[*values.items(), *(("xong", i) for i in todo_done), ("action", "ban-hanh")],
            ) as r:
                page = await r.text()
            assert r.status == 422 and "không thuộc phạm vi của Huyện ủy Kim Bang" in page
            assert not (tmp_path / "plans" / f"{NEW}.yaml").exists()
            async with http.get(f"{base}/ke-hoach/{TV}") as r:
                assert r.status == 404
            async with http.get(f"{base}/ke-hoach/{KB}") as r:
                assert r.status == 200 and "Tháng" in await r.text()
            async with http.get(f"{base}/ke-hoach") as r:
                page = await r.text()
            assert KB in page and TV not in page

"""The admin import pages: access, preview, one-time confirmation, limits."""

from __future__ import annotations

import io
import re
import threading

from helpers import login, make_user, page_text, post
from import_samples import (
    ACCOUNT_HEADER,
    ADMIN,
    OFFICIALS,
    REJECTED,
    accounts_file,
    batch_count,
    counts,
    prepare,
    upload,
)

from cchc_learn.extensions import db
from cchc_learn.org.importing.models import ImportBatch


def _upload(client, app, data: bytes, filename: str = "can-bo.csv", kind: str = "accounts"):
    return upload(client, app, data, filename, kind)


def _confirm_url(response) -> str:
    match = re.search(r'action="(/admin/import/[^"]+/confirm)"', response.get_data(as_text=True))
    assert match, page_text(response)
    return match.group(1)


def test_only_admins_reach_the_import_page(app, client):
    prepare(app)
    make_user(app, "hocvien", unit="SNV")
    assert client.get("/admin/import").status_code == 302
    login(client, app, "hocvien")
    assert client.get("/admin/import").status_code == 403
    assert _upload(client, app, accounts_file()).status_code == 403
    assert batch_count(app) == 0


def test_menu_links_to_the_upload_form(app, client):
    prepare(app)
    login(client, app, ADMIN)
    menu = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/import">Nhập từ tệp</a>' in menu
    form = client.get("/admin/import")
    assert form.status_code == 200
    text = page_text(form)
    assert "Nhập đơn vị và cán bộ từ tệp" in text and "Tối đa 5 MB và 50.000 dòng" in text
    assert 'enctype="multipart/form-data"' in form.get_data(as_text=True)


def test_preview_lists_every_row_and_writes_nothing_until_confirmed(app, client):
    prepare(app)
    login(client, app, ADMIN)
    before = counts(app)
    preview = _upload(client, app, accounts_file())
    assert preview.status_code == 200
    text = page_text(preview)
    assert "3 tạo mới, 0 không đổi, 0 dòng lỗi" in text
    for username, full_name, *_ in OFFICIALS:
        assert re.search(rf"\d Tạo mới {username} {full_name}", text)
    assert "Xác nhận nhập" in text
    assert counts(app) == before
    assert batch_count(app) == 1

    result = post(client, app, _confirm_url(preview))
    assert result.status_code == 200
    text = page_text(result)
    assert "Đã tạo mới 3 tài khoản; 0 dòng không đổi." in text
    issued = re.findall(
        r'<td>([a-z0-9._-]+)</td><td><code class="secret">([A-Za-z0-9]+)</code>',
        result.get_data(as_text=True),
    )
    assert [u for u, _ in issued] == ["nguyenvana", "tranthibinh", "lequangcuong"]
    listing = page_text(client.get("/admin/users"))
    assert "Nguyễn Văn An" in listing and "Lê Quang Cường" in listing

    # The issued password works once, and the account must change it first.
    official = app.test_client()
    response = login(official, app, issued[0][0], issued[0][1])
    assert response.status_code == 302
    assert official.get("/").headers["Location"].endswith("/auth/password")


def test_confirming_twice_does_nothing_the_second_time(app, client):
    prepare(app)
    login(client, app, ADMIN)
    url = _confirm_url(_upload(client, app, accounts_file()))
    assert post(client, app, url).status_code == 200
    after_first = counts(app)
    again = post(client, app, url)
    assert again.status_code == 409
    text = page_text(again)
    assert "Tệp này đã được nhập" in text and "Lần xác nhận này không thay đổi gì" in text
    assert 'code class="secret"' not in again.get_data(as_text=True)
    assert counts(app) == after_first
    with app.app_context():
        batch = db.session.scalar(db.select(ImportBatch))
        assert batch.status == "committed" and batch.content == b""
        assert batch.result == {"created": 3, "unchanged": 0}


def test_two_simultaneous_confirmations_import_once(app):
    prepare(app)
    first, second = app.test_client(), app.test_client()
    login(first, app, ADMIN)
    login(second, app, ADMIN)
    url = _confirm_url(_upload(first, app, accounts_file()))
    before = counts(app)
    statuses: list[int] = []
    start = threading.Barrier(2)

    def confirm(client):
        start.wait()
        statuses.append(post(client, app, url).status_code)

    threads = [threading.Thread(target=confirm, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    assert counts(app)["User"] - before["User"] == 3


def test_another_admin_cannot_confirm_someone_elses_upload(app, client):
    prepare(app)
    make_user(app, "quantri2", roles=("admin",))
    login(client, app, ADMIN)
    url = _confirm_url(_upload(client, app, accounts_file()))
    other = app.test_client()
    login(other, app, "quantri2")
    before = counts(app)
    response = post(other, app, url)
    assert response.status_code == 404
    assert "Không còn bản xem trước này" in page_text(response)
    assert counts(app) == before


def test_an_expired_preview_cannot_be_confirmed_and_is_purged(app, client, clock):
    prepare(app)
    login(client, app, ADMIN)
    url = _confirm_url(_upload(client, app, accounts_file()))
    clock.advance(hours=3)
    before = counts(app)
    response = post(client, app, url)
    assert response.status_code == 404
    assert "đã quá hạn" in page_text(response)
    assert counts(app) == before
    _upload(client, app, accounts_file([OFFICIALS[0]]))
    assert batch_count(app) == 1  # the stale upload is gone, the new one is kept


def test_confirmation_rechecks_the_database(app, client):
    prepare(app)
    login(client, app, ADMIN)
    url = _confirm_url(_upload(client, app, accounts_file()))
    make_user(app, "tranthibinh", full_name="Trần Thị Bình (đã có)", unit="SNV")
    before = counts(app)
    response = post(client, app, url)
    assert response.status_code == 200 and REJECTED in response.get_data(as_text=True)
    assert re.search(
        r"<td>3</td><td>Tên đăng nhập</td><td>Tài khoản tranthibinh đã tồn tại với thông tin khác",
        response.get_data(as_text=True),
    )
    assert "không có gì được ghi" in page_text(response)
    assert counts(app) == before


def test_fifty_megabyte_upload_is_refused_with_a_vietnamese_page(app, client):
    prepare(app)
    login(client, app, ADMIN)
    before = counts(app)
    huge = bytes(50 * 1024 * 1024)
    response = _upload(client, app, huge, "lon.csv")
    assert response.status_code == 413
    text = page_text(response)
    assert "Tệp quá lớn" in text
    assert "vượt quá 20 MB nên không được nhận và không có gì được ghi" in text
    assert counts(app) == before
    assert batch_count(app) == 0


def test_upload_between_the_import_cap_and_the_request_cap_is_named_too_large(app, client):
    prepare(app)
    login(client, app, ADMIN)
    data = accounts_file() + b"x" * (6 * 1024 * 1024)
    response = _upload(client, app, data)
    assert REJECTED in response.get_data(as_text=True)
    assert "Tệp quá lớn (6,0 MB); tối đa 5,0 MB" in page_text(response)
    assert batch_count(app) == 0


def test_form_errors_for_missing_file_wrong_type_and_missing_token(app, client):
    prepare(app)
    login(client, app, ADMIN)
    missing = post(client, app, "/admin/import", {"kind": "accounts"})
    assert "Hãy chọn tệp cần nhập." in page_text(missing)
    wrong = _upload(client, app, b"\xd0\xcf\x11\xe0", "cu.xls")
    assert "Chỉ nhận tệp .csv hoặc .xlsx." in page_text(wrong)
    no_token = client.post(
        "/admin/import",
        data={"kind": "accounts", "file": (io.BytesIO(accounts_file()), "a.csv")},
        content_type="multipart/form-data",
    )
    assert no_token.status_code == 400
    assert batch_count(app) == 0


def test_long_previews_list_every_error_and_summarise_the_rest(app, client):
    prepare(app)
    login(client, app, ADMIN)
    rows = [[f"cb{i:04d}", f"Cán bộ {i}", "", "SNV", "", ""] for i in range(1500)]
    rows[1400][3] = "KHONG-CO"
    response = _upload(client, app, accounts_file(rows))
    assert REJECTED in response.get_data(as_text=True)
    text = page_text(response)
    assert "1499 tạo mới, 0 không đổi, 1 dòng lỗi" in text
    assert "… và 499 dòng hợp lệ khác không hiển thị" in text
    assert "<td>1402</td><td>Mã đơn vị</td><td>Không có đơn vị mã KHONG-CO" in (
        response.get_data(as_text=True)
    )


def test_preview_escapes_cell_content(app, client):
    prepare(app)
    login(client, app, ADMIN)
    row = ["xss", "<script>alert(1)</script>", "", "SNV", "<b>Trưởng</b>", ""]
    response = _upload(client, app, accounts_file([row]))
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_units_preview_and_confirm(app, client):
    prepare(app)
    login(client, app, ADMIN)
    data = "Mã;Tên;Cấp;Mã đơn vị cấp trên\nPHONG-1;Phòng Một;office;SNV\n".encode()
    preview = _upload(client, app, data, "don-vi.csv", "units")
    assert "1 tạo mới" in page_text(preview)
    result = post(client, app, _confirm_url(preview))
    assert "Đã tạo mới 1 đơn vị" in page_text(result)
    assert "Phòng Một" in page_text(client.get("/admin/units"))


def test_header_row_of_the_preview_uses_the_files_own_column_names(app, client):
    prepare(app)
    login(client, app, ADMIN)
    header = ["username", "Họ tên", "Mã đơn vị"]
    data = "\n".join([",".join(header), "nguyenvana,Nguyễn Văn An,SNV"]).encode()
    response = _upload(client, app, data)
    html = response.get_data(as_text=True)
    assert '<th scope="col">Họ tên</th>' in html
    assert ACCOUNT_HEADER[0] not in re.findall(r'<th scope="col">([^<]+)</th>', html)


def test_wrong_kind_gets_a_hint_and_odd_file_names_are_tidied(app, client):
    prepare(app)
    login(client, app, ADMIN)
    units = "Mã,Tên,Cấp\nP1,Phòng Một,office\n".encode()
    response = _upload(client, app, units, "C:\\Users\\hv\\Tải về\\don\u202evi.csv", "accounts")
    text = page_text(response)
    assert "Xem trước: Tải về" not in text
    assert "Xem trước: donvi.csv" in text
    assert "Các cột của tệp khớp với loại “Đơn vị”: có thể bạn đã chọn nhầm loại" in text
    assert batch_count(app) == 0

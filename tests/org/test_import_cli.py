"""`cchc-learn units import` and `users import`: output, exit codes, password handling."""

from __future__ import annotations

import stat

from import_samples import OFFICIALS, UNIT_HEADER, accounts_file, counts, csv_bytes, prepare


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_problems_are_listed_as_file_row_column_message_and_exit_non_zero(app, runner, tmp_path):
    prepare(app)
    rows = [OFFICIALS[0], ["tranb", "Trần B", "", "KHONG-CO", "", "Thủ trưởng"]]
    path = _write(tmp_path, "can-bo.csv", accounts_file(rows))
    before = counts(app)
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:3: Vai trò: Vai trò không hợp lệ: “Thủ trưởng”. Dùng: official (Học viên); "
        "moderator (Người giải đáp); trainer (Giảng viên); admin (Quản trị); "
        "focal (Cán bộ đầu mối CCHC).",
        f"{path}:3: Mã đơn vị: Không có đơn vị mã KHONG-CO.",
    ]
    assert f"{path}: 2 lỗi; không có gì được ghi vào cơ sở dữ liệu." in result.stderr
    assert counts(app) == before


def test_dry_run_checks_without_writing(app, runner, tmp_path):
    prepare(app)
    path = _write(tmp_path, "can-bo.csv", accounts_file())
    before = counts(app)
    result = runner.invoke(args=["users", "import", "--dry-run", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 dòng sẽ tạo mới, 0 dòng không đổi (chạy thử, chưa ghi gì)" in result.output
    assert counts(app) == before


def test_success_prints_summary_and_each_password_once(app, runner, tmp_path):
    prepare(app)
    path = _write(tmp_path, "can-bo.csv", accounts_file())
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{path}: đã nhập 3 tài khoản tạo mới, 0 không đổi."
    assert lines[2] == "username,password"
    issued = dict(line.split(",") for line in lines[3:])
    assert sorted(issued) == ["lequangcuong", "nguyenvana", "tranthibinh"]
    assert all(len(pw) == 14 for pw in issued.values())
    again = runner.invoke(args=["users", "import", str(path)])
    assert again.exit_code == 0
    assert "username,password" not in again.output
    assert f"{path}: đã nhập 0 tài khoản tạo mới, 3 không đổi." in again.output


def test_passwords_out_writes_a_private_csv_instead(app, runner, tmp_path):
    prepare(app)
    path = _write(tmp_path, "can-bo.csv", accounts_file())
    out = tmp_path / "mat-khau.csv"
    result = runner.invoke(args=["users", "import", str(path), "--passwords-out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Đã ghi 3 mật khẩu tạm thời vào" in result.output
    assert "username,password" not in result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "username,password" and len(lines) == 4
    for _username, password in (line.split(",") for line in lines[1:]):
        assert password not in result.output


def test_passwords_out_refuses_an_existing_file_before_writing(app, runner, tmp_path):
    prepare(app)
    path = _write(tmp_path, "can-bo.csv", accounts_file())
    out = _write(tmp_path, "mat-khau.csv", b"cu\n")
    before = counts(app)
    result = runner.invoke(args=["users", "import", str(path), "--passwords-out", str(out)])
    assert result.exit_code == 1
    assert "tệp đã có; chọn tên khác để không ghi đè mật khẩu cũ" in result.output
    assert out.read_bytes() == b"cu\n"
    assert counts(app) == before


def test_passwords_out_is_removed_when_the_file_is_refused(app, runner, tmp_path):
    prepare(app)
    path = _write(tmp_path, "can-bo.csv", accounts_file([OFFICIALS[0], OFFICIALS[0]]))
    out = tmp_path / "mat-khau.csv"
    result = runner.invoke(args=["users", "import", str(path), "--passwords-out", str(out)])
    assert result.exit_code == 1
    assert "bị trùng trong tệp" in result.output
    assert not out.exists()


def test_oversized_file_is_refused_from_its_size_alone(app, runner, tmp_path):
    prepare(app)
    path = tmp_path / "lon.csv"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: the command must not need to read it
    before = counts(app)
    result = runner.invoke(args=["units", "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}: Tệp quá lớn (50,0 MB); tối đa 5,0 MB." in result.output
    assert counts(app) == before


def test_units_import_and_dry_run(app, runner, tmp_path):
    prepare(app)
    data = csv_bytes([UNIT_HEADER, ["P1", "Phòng Một", "office", "SNV", "01/07/2025"]])
    path = _write(tmp_path, "don-vi.csv", data)
    dry = runner.invoke(args=["units", "import", "--dry-run", str(path)])
    assert dry.exit_code == 0 and "1 dòng sẽ tạo mới" in dry.output
    before = counts(app)
    done = runner.invoke(args=["units", "import", str(path)])
    assert done.exit_code == 0
    assert f"{path}: đã nhập 1 đơn vị tạo mới, 0 không đổi." in done.output
    assert counts(app)["Unit"] == before["Unit"] + 1


def test_missing_file_is_a_usage_error(app, runner, tmp_path):
    result = runner.invoke(args=["users", "import", str(tmp_path / "khong-co.csv")])
    assert result.exit_code == 2
    assert "khong-co.csv" in result.output

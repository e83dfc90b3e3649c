from portal.passwords import hash_password, password_problem, verify_password


def test_passwords_are_hashed_with_argon2id() -> None:
    hashed = hash_password("a long enough passphrase")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "a long enough passphrase")
    assert not verify_password(hashed, "a long enough passphrasE")
    assert not verify_password(None, "anything at all here")


def test_length_over_complexity() -> None:
    assert password_problem("short") == "Password must be 12 characters or more"
    assert password_problem("password1234") is not None  # long enough but well known
    assert password_problem("aaaaaaaaaaaaaaaa") is not None
    assert password_problem("jane.smith-is-my-password", email="jane.smith@school.example") is not None
    assert password_problem("four random words together " * 3) is None

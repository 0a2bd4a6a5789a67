# Shared by scripts/build and scripts/test (sourced): skip `pip install -e` when it would
# change nothing.  An editable install picks up code changes by itself; only a changed
# pyproject.toml (dependencies, entry points), another checkout path or other extras
# need pip.  The stamp lives inside .venv, so a fresh venv always installs.
STAMP=".venv/kbgen-install.stamp"

install_key() {
    # install_key EXTRAS: a hash of pyproject.toml and this checkout's path, then EXTRAS.
    printf '%s %s\n' "$({ cat pyproject.toml; printf '%s' "$PWD"; } | .venv/bin/python -c \
        'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')" "$1"
}

install_is_current() {
    # install_is_current EXTRAS...: true when pip installed one of EXTRAS for this pyproject.toml.
    [ -f "$STAMP" ] && [ -x .venv/bin/kbgen ] || return 1
    local extras
    for extras in "$@"; do
        grep -qxF "$(install_key "$extras")" "$STAMP" && return 0
    done
    return 1
}

install_done() {
    # install_done EXTRAS: remember a successful `pip install -e EXTRAS`.
    install_key "$1" >"$STAMP"
}

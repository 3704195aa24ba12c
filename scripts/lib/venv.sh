# Shared by scripts/serve and scripts/test: create .venv and (re)install the project
# into it when pyproject.toml changed since the last install of those extras.
ensure_venv() {
    local extras="$1"  # "" for the service alone, "test" for the test tools too
    local python="${PYTHON:-python3}"
    [ -x .venv/bin/python ] || "$python" -m venv .venv
    local digest stamp
    digest="$(sha256sum pyproject.toml | cut -d' ' -f1)"
    stamp=".venv/.installed-${extras:-base}"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
        .venv/bin/python -m pip install --quiet --upgrade pip
        .venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}"
        echo "$digest" >"$stamp"
        echo "$digest" >.venv/.installed-base  # the extras include the service itself
    fi
}

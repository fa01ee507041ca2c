#!/bin/sh
# The project's small lint: banned libc calls (as curl bans them), each
# library's calls kept inside the module that owns it, each part including
# only the parts it may call, a top comment on every source file, and the
# layout of .clang-format. Prints each finding; exits 1 when there is one.
set -u
cd "$(dirname "$0")/.."
status=0

report() {
    echo "lint: $1"
    status=1
}

banned='\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atol|sscanf|gmtime|localtime|gets)[[:space:]]*\('
hits=$(grep -rnE "$banned" src tests/unit tests/fuzz --include='*.c' --include='*.h' || true)
[ -n "$hits" ] && report "banned function:
$hits"

# library prefix : the only files allowed to call it
owners() {
    prefix=$1; allowed=$2
    hits=$(grep -rlE "\b(${prefix})[A-Za-z0-9_]*[[:space:]]*\(" src --include='*.c' --include='*.h' | grep -vE "$allowed" || true)
    [ -n "$hits" ] && report "${prefix}* called outside ${allowed}: $hits"
}
owners 'sqlite3_' '^src/store/sqlite\.c$'
owners 'MHD_' '^src/http/server\.c$'
owners 'u8_|uc_' '^src/core/text\.c$'
owners 'crypto_pwhash' '^src/auth/password\.c$'
owners 'zip_' '^src/catalog/catalog_xlsx\.c$|^src/export/export_docx\.c$'
owners 'xml[A-Z]' '^src/catalog/catalog_xlsx\.c$|^src/templates/(mrrt|sanitize)\.c$'
owners 'html[A-Z]' '^src/templates/(mrrt|sanitize)\.c$'
# structuring/llm.c: the language-model engine's JSON is its wire protocol (schema sent = schema checked)
owners 'json_' '^src/(http|api)/|^src/httpc/json\.c$|^src/structuring/llm\.c$'
owners 'curl_' '^src/httpc/'
owners 'av[a-z_]*_|swr_' '^src/audio/'
owners 'ps_|cmd_ln_|fe_|cmn_|ckd_|err_set_' '^src/asr/'
owners 'espeak_' '^src/asr/'
owners 'ngram_|logmath_' '^src/asr/'
owners 'cairo_|pango_' '^src/export/export_pdf\.c$'

# The store's bound parameters are typed (store/db.h): a number bound as
# text, or text as a number, must not compile; the right kinds must.
typed_bind() {
    printf '#include "store/db.h"\nvoid f(void);\nvoid f(void) { db_arg a = %s; (void)a; }\n' "$1" |
        gcc -std=c17 -Wall -Wextra -Werror -Isrc -fsyntax-only -x c - 2>/dev/null
}
for good in 'db_text("x")' 'db_int(42)'; do
    typed_bind "$good" || report "the store's typed binding refuses $good"
done
for bad in 'db_text(42)' 'db_int("42")'; do
    typed_bind "$bad" && report "the store's typed binding accepts $bad"
done

# Each part includes only its own headers and those of the parts it may
# call (docs/architecture.md's folder table), so calls go one way.
layer() {
    part=$1; allowed=$2
    hits=$(grep -rnE '^#include "[a-z]+/' "src/$part" | grep -vE "#include \"(${part}|${allowed})/" || true)
    [ -n "$hits" ] && report "src/$part includes a part it may not call:
$hits"
}
layer core 'core'
layer audio 'core'
layer store 'core'
layer auth 'core'
layer httpc 'core'
layer catalog 'core|store'
layer templates 'core|catalog'
layer asr 'core|audio|httpc|templates'
layer structuring 'core|httpc|templates'
layer export 'core|templates|structuring'
layer jobs 'core|store|audio|httpc|templates|asr|structuring'
layer http 'core'
layer api 'core|audio|store|auth|httpc|catalog|templates|asr|structuring|export|jobs|http'
layer cli '[a-z]+'
for p in $(ls src); do
    grep -qE "^layer $p " scripts/lint.sh || report "src/$p is missing from the lint's layer table"
done

# The fuzz targets (tests/fuzz) are outside this table: like the unit
# tests, each may call whatever part it drives.

for f in $(find src tests/fuzz -name '*.c' -o -name '*.h'); do
    head -n 1 "$f" | grep -q '^/\*' || report "$f does not open with a comment saying what it owns"
done

# One layout everywhere: .clang-format's (Debian's clang-format).
if command -v clang-format >/dev/null 2>&1; then
    unformatted=$(find src tests/unit tests/fuzz bench -name '*.c' -o -name '*.h' | sort |
        while read -r f; do
            clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"
        done)
    [ -n "$unformatted" ] && report "not formatted as .clang-format says (run clang-format -i on them):
$unformatted"
else
    report "clang-format is missing (scripts/deps.sh test installs it)"
fi

[ "$status" -eq 0 ] && echo "lint: clean"
exit "$status"

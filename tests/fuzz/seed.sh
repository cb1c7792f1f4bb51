#!/usr/bin/env bash
# Seed each fuzz target's corpus (corpus/<target>/, not in git) from the
# repository's own files: snapshots, configs, Cypher and SQL migrations,
# migration folder listings, and a few connection strings.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root=../..
c=corpus
mkdir -p $c/snapshot $c/config $c/cypher $c/migration_names $c/split_sql $c/conninfo
n=0
seed() { # TARGET FILE
    n=$((n + 1))
    head -c 65536 "$2" >"$c/$1/seed-$n"
}
for f in "$root"/expected/*.json "$root"/snapshots/*.json; do seed snapshot "$f"; done
while IFS= read -r f; do seed config "$f"; done < <(find "$root/expected" "$root/tests" -name '*.toml' -not -path '*/fuzz/*')
# The README's TOML examples, one file each.
awk -v dir="$c/config" '/^```toml/ { n++; on = 1; next } /^```/ { on = 0 } on { print > (dir "/readme-" n) }' "$root/README.md"
while IFS= read -r f; do seed cypher "$f"; done < <(find "$root" -name '*.cypher' -not -path '*/target/*')
# split_sql reads its first byte as the line offset, then the file.
while IFS= read -r f; do
    n=$((n + 1))
    { printf '\001'; head -c 65536 "$f"; } >"$c/split_sql/seed-$n"
done < <(find "$root/tests/fixtures/migrations" "$root/expected" -name '*.sql' | head -200)
for d in "$root"/tests/fixtures/migrations/*/; do
    n=$((n + 1))
    (cd "$d" && for e in *; do if [ -d "$e" ]; then echo "$e/"; else echo "$e"; fi; done) >"$c/migration_names/seed-$n"
done
i=0
for s in \
    "postgres://app:s3cret@db.example:5432/app?sslmode=verify-full&sslrootcert=ca.pem" \
    "postgresql://u@h1:5432,[::1]:5433,%2Fvar%2Frun%2Fpostgresql/db?target_session_attrs=read-write" \
    "host=db user=app password='it\\'s secret' dbname=app connect_timeout=5" \
    "host=/tmp,db port=5432,5433 hostaddr=,10.0.0.1 sslmode=require sslcert=c.crt" \
    "db.example:5432:app:alice:pw\\:1
*:*:*:*:fallback"; do
    i=$((i + 1))
    printf '%s' "$s" >"$c/conninfo/seed-$i"
done
echo "seeded $(find $c -type f | wc -l) files under $PWD/$c"

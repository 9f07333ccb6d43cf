#!/usr/bin/env bash
# The one JMH session BENCHMARKS.md is generated from (issue 17's goals table): every invocation back
# to back from one jar, merged into one result file, then the report. Run it on an idle machine
# (nothing else compiling): the goals are ratios against baselines measured in the same session, but
# a busy neighbour still widens the error column.
#
#   mvn -B -q install -DskipTests && bash benchmarks/goals-run.sh      # ~70 min on 2 cores
#
# -gc true collects garbage between iterations, so one iteration does not pay for the previous
# iteration's database. Warm-up is long on purpose: single-shot iterations of a 10K load were still
# getting faster (C2 still compiling) after 5 warm-up iterations, and the baselines more than our
# rows (rawRead 10K: 8.6 ms after 5, 6.1 ms after 15), which both flattered the ratios and put
# JMH's 99.9% error above 10% of the mean on 47 of 62 rows (2026-12-02 04:10 run). 10K rows get
# 15 warm-up and 40 measured iterations (rawRead and msgpack load: 5.9% and 8.0% error), 100K rows
# 5 and 20, the slowest (peers and gzip at 100K, 6-15 s an operation) what fits in the session.
#
# The heap is fixed (-Xms3g -Xmx3g, as a server is usually run). With only -Xmx3g, G1 shrank the heap
# after each -gc true collection to an eden of about 16 MiB: rawRead 10K (16.3 MB allocated) fit in
# it and a msgpack load (22.4 MB) did not, so the load alone paid a young collection copying the
# vectors it had loaded so far (one-JVM harness, 10K msgpack loads: median 28 ms with -Xmx3g, 15 ms
# with -Xms3g), and whether a fork got that eden decided the row (2.4x in one fork, 4.3-5.0x in two
# others). With a fixed heap G1's young generation starts at 5% of it (150 MB) for every row alike.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
out=${GOALS_OUT:-target/goals-run}
day=$(date -u +%F)
mkdir -p "$out"
jvm="-Xms3g -Xmx3g -Dvecpersist.bench.dir=$out/data"
run() {
  local name=$1; shift
  echo "== $name: $*"
  java -jar "$jar" "$@" -f 1 -gc true -jvmArgs "$jvm" -rf json -rff "$out/$name.json" > "$out/$name.log" 2>&1
}
core='LibraryBenchmarks\.(save|load)$'
baselines='BaselineBenchmarks\.(rawRead|rawWriteFsync|jacksonStreamingWrite|jacksonStreamingRead|jdbcRead)$'
compressed='LibraryBenchmarks\.(saveCompressed|loadCompressed|compressOnly|decompressOnly)$'
combos=json+gzip,json+lz4,msgpack+lz4,msgpack+gzip
run a10k "$core" "$baselines" PeerBenchmarks -p n=10000 -p format=json,msgpack,sqlite -wi 15 -i 40
run c10k "$compressed" -p n=10000 -p combination=$combos -wi 10 -i 40
run a100k "$core" "$baselines" -p n=100000 -p format=json,msgpack,sqlite -wi 5 -i 20
run p100k PeerBenchmarks -p n=100000 -wi 2 -i 10
run c100k "$compressed" -p n=100000 -p combination=$combos -wi 3 -i 15
# JMH writes each result file as one JSON array, "[" and "]" on lines of their own: join the arrays
{
  echo '['
  sep=''
  for f in a10k c10k a100k p100k c100k; do
    printf '%s' "$sep"; grep -v -e '^\[$' -e '^\]$' -e '^$' "$out/$f.json"; sep=','
  done
  echo ']'
} > "benchmarks/jmh-result-$day.json"
java -cp "$jar" dev.vecpersist.benchmarks.BenchmarksReport "benchmarks/jmh-result-$day.json" BENCHMARKS.md \
  benchmarks/profile-notes.md
echo "BENCHMARKS.md regenerated from benchmarks/jmh-result-$day.json"

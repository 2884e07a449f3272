# shellcheck shell=bash disable=SC2154,SC2034  # sourced by bench/run: its variables, both ways
# intel_scenarios.sh - bench/run's indicator-store scenarios (issue 5), sourced by
# bench/run after its build; uses its variables (root, build, out, data_parent,
# admin_pw, duration, warmup, conns, wthreads, timeout) and helpers (say, die,
# proc_cpu, sys_cpu). Not a test.
#
#   intel-import  bench/intel_gen writes BENCH_INTEL_IMPORT indicators (mostly IPv4, one
#           tag each) as a CSV file and as a STIX 2.1 bundle; each is imported with
#           `yingji intel import` into a fresh data directory and into a copy of one
#           already holding BENCH_INTEL_SEED, BENCH_INTEL_RUNS times; the CSV also a
#           second time into the fresh store (every row merges). Indicators per
#           second are of the command's wall time: process start, reading and
#           parsing the file, the one transaction with its audit record, exit.
#   intel-lookup  a store holding BENCH_INTEL_SEED live indicators (80% IPv4, CIDR
#           ranges, domains, URLs, hashes) is served; wrk asks GET
#           /api/v1/indicators/lookup?value=<one of BENCH_INTEL_QUERIES values, about
#           half matching> with 1 connection, then with BENCH_CONNECTIONS. Also the
#           first look-up after the server started, and bench/intel_lookup's
#           in-process rate and bytes per IPv4 indicator.
#
# A run fails when an import does not report every row (objects, no problems), when
# a look-up answers other than 2xx or wrk saw socket errors, or when
# `yingji audit verify` fails on the stores afterwards.

intel_rows=${BENCH_INTEL_IMPORT:-200000}
intel_seed=${BENCH_INTEL_SEED:-1000000}
intel_runs=${BENCH_INTEL_RUNS:-3}
intel_queries=${BENCH_INTEL_QUERIES:-20000}
intel_lookup_duration=${BENCH_LOOKUP_DURATION:-$duration}

# Goals (issue 5): imports of >= 200,000 indicators/s from CSV and >= 50,000/s from
# STIX 2.1; a look-up over the API in p99 < 1 ms for one client; in process >= 1,000,000
# look-ups/s and <= 64 bytes per IPv4 indicator.
goal_csv_per_s=200000
goal_stix_per_s=50000
goal_lookup_p99_ms=1
goal_inproc_per_s=1000000
goal_bytes_per_ipv4=64

intel_gen="$root/$build/bench/intel_gen"
intel_lookup_bin="$root/$build/bench/intel_lookup"
intel_dir=""
intel_populated="" # a store holding the intel_seed indicators, once made
intel_import_results=()
intel_lookup_results=()
intel_inproc_result=""

intel_pid=""

# On exit, also a failed one: the intel server stopped, its data removed (BENCH_KEEP=1 keeps).
intel_cleanup() {
  if [ -n "$intel_pid" ] && kill -0 "$intel_pid" 2>/dev/null; then
    kill -TERM "$intel_pid" 2>/dev/null || true
    wait "$intel_pid" 2>/dev/null || true
  fi
  [ -z "$intel_dir" ] || [ "${keep:-0}" = 1 ] || rm -rf "$intel_dir"
  [ -z "$intel_dir" ] || [ "${keep:-0}" != 1 ] || say "intel data kept in $intel_dir"
}

intel_workdir() {
  [ -z "$intel_dir" ] || return 0
  local parent=$data_parent
  case $parent in /*) ;; *) parent=$root/$parent ;; esac
  mkdir -p "$parent"
  intel_dir=$(mktemp -d "$parent/bench-intel.XXXXXX")
  [ -x "$intel_gen" ] || die "no $intel_gen"
}

intel_init() { # dir
  YINGJI_ADMIN_PASSWORD=$admin_pw "$root/$build/yingji" init --data "$1" >"$out/intel-init.log" 2>&1 ||
    { cat "$out/intel-init.log" >&2; die "yingji init ($1)"; }
}

# One timed `yingji intel import`: sets imp_secs imp_cpu imp_objects imp_imported
# imp_merged imp_flagged imp_problems (log in $out/intel-import-$3.txt).
intel_import_once() { # data format file label
  local tf="$intel_dir/time" log="$out/intel-import-$4.txt" line
  sync # the file and the store on disk: writeback does not compete with the import
  local TIMEFORMAT='%R %U %S'
  { time "$root/$build/yingji" intel import --data "$1" --format "$2" --source "bench-$2" "$3" \
    >"$log" 2>&1; } 2>"$tf" || { cat "$log" >&2; die "yingji intel import ($4)"; }
  local u s
  read -r imp_secs u s <"$tf"
  imp_cpu=$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}')
  line=$(grep '^import [0-9]*:' "$log" | tail -1)
  read -r imp_objects imp_imported imp_merged imp_flagged imp_problems <<<"$(printf '%s' "$line" |
    sed -n 's/^import [0-9]*: \([0-9]*\) objects, \([0-9]*\) imported, \([0-9]*\) merged, \([0-9]*\) flagged, \([0-9]*\) problems.*/\1 \2 \3 \4 \5/p')"
  [ -n "$imp_objects" ] || { cat "$log" >&2; die "no counts from yingji intel import ($4)"; }
}

# The store holding intel_seed indicators (the CSV of seed 1), made once.
intel_make_populated() {
  [ -z "$intel_populated" ] || return 0
  intel_workdir
  say "intel: generating $intel_seed indicators for the populated store"
  "$intel_gen" --format csv --count "$intel_seed" --seed 1 >"$intel_dir/seed.csv" ||
    die "intel_gen (seed)"
  intel_populated="$intel_dir/populated"
  intel_init "$intel_populated"
  intel_import_once "$intel_populated" csv "$intel_dir/seed.csv" seed
  say "intel: seeded $imp_imported indicators in ${imp_secs} s"
  if [ "$imp_objects" != "$intel_seed" ] || [ "$imp_problems" != 0 ]; then
    die "the seed import read $imp_objects objects with $imp_problems problems"
  fi
}

intel_verify() { # data expected-records label
  local f="$out/intel-audit-$3.txt" records
  if ! "$root/$build/yingji" audit verify --data "$1" >"$f" 2>&1; then
    cat "$f" >&2
    say "intel: audit verify FAILED ($3)"
    failed=1
    return
  fi
  records=$(sed -n 's/.*intact: \([0-9]*\) records.*/\1/p' "$f")
  if [ "$records" != "$2" ]; then
    say "intel: the chain of $3 has $records records, expected $2"
    failed=1
  fi
}

run_intel_import() {
  intel_workdir
  say "intel-import: generating $intel_rows indicators as CSV and STIX 2.1"
  "$intel_gen" --format csv --count "$intel_rows" --seed 2 >"$intel_dir/import.csv" ||
    die "intel_gen (csv)"
  "$intel_gen" --format stix --count "$intel_rows" --seed 3 >"$intel_dir/import.json" ||
    die "intel_gen (stix)"
  intel_make_populated
  local fmt file into run d label secs_list cpu_list load sb0 st0 sb1 st1 busy line
  for fmt in csv stix; do
    file="$intel_dir/import.csv"
    [ "$fmt" = csv ] || file="$intel_dir/import.json"
    for into in fresh populated again; do
      [ "$into" != again ] || [ "$fmt" = csv ] || continue
      secs_list="" cpu_list=""
      load=$(cut -d' ' -f1 /proc/loadavg)
      read -r sb0 st0 <<<"$(sys_cpu)"
      for run in $(seq 1 "$intel_runs"); do
        d="$intel_dir/run"
        rm -rf "$d"
        label="$fmt-$into-$run"
        case $into in
        fresh) intel_init "$d" ;;
        populated) cp -a "$intel_populated" "$d" ;;
        again)
          intel_init "$d"
          intel_import_once "$d" "$fmt" "$file" "$label-first"
          ;;
        esac
        say "intel-import: $fmt into a $into store, run $run of $intel_runs"
        intel_import_once "$d" "$fmt" "$file" "$label"
        if [ "$imp_objects" != "$intel_rows" ] || [ "$imp_problems" != 0 ] ||
          [ $((imp_imported + imp_merged + imp_flagged)) != "$intel_rows" ] ||
          { [ "$into" = again ] && [ "$imp_merged" != "$intel_rows" ]; }; then
          say "intel-import ($label): $imp_objects objects, $imp_imported imported, $imp_merged merged, $imp_problems problems"
          failed=1
        fi
        secs_list+="$imp_secs "
        cpu_list+="$imp_cpu "
        # init's record and one per import.
        case $into in fresh) intel_verify "$d" 2 "$label" ;; *) intel_verify "$d" 3 "$label" ;; esac
      done
      read -r sb1 st1 <<<"$(sys_cpu)"
      busy=$(awk -v b0="$sb0" -v b1="$sb1" -v t0="$st0" -v t1="$st1" 'BEGIN {printf "%.0f", (t1 > t0) ? 100 * (b1 - b0) / (t1 - t0) : 0}')
      line=$(tr ' ' '\n' <<<"$secs_list" | grep . | sort -n | awk -v n="$intel_rows" -v fmt="$fmt" -v into="$into" \
        -v imp="$imp_imported" -v mer="$imp_merged" -v cpu="$(tr ' ' '\n' <<<"$cpu_list" | grep . | sort -n | head -1)" \
        -v busy="$busy" -v load="$load" '
        { s[NR] = $1 } END {
          med = (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2
          printf "{\"scenario\":\"intel-import\",\"format\":\"%s\",\"into\":\"%s\",\"indicators\":%d,", fmt, into, n
          printf "\"imported\":%d,\"merged\":%d,\"runs\":%d,\"best_s\":%.3f,\"median_s\":%.3f,", imp, mer, NR, s[1], med
          printf "\"per_s_best\":%.0f,\"per_s_median\":%.0f,\"cpu_s_best\":%s,", n / s[1], n / med, cpu
          printf "\"machine_cpu_busy_pct\":%s,\"load1_before\":%s}", busy, load }')
      echo "$line" >>"$out/results.jsonl"
      intel_import_results+=("$line")
    done
  done
  rm -rf "$intel_dir/run"
}

# The server on a store; sets intel_url, intel_pid, intel_started_ns.
intel_serve() { # data
  intel_started_ns=$(date +%s%N)
  "$root/$build/yingji" serve --data "$1" --listen 127.0.0.1:0 >"$out/intel-serve.stdout" \
    2>"$out/intel-server.log" &
  intel_pid=$!
  intel_url=""
  for _ in $(seq 1 400); do
    intel_url=$(sed -n 's/^listening on \(http:\/\/[^ ]*\)\/$/\1/p' "$out/intel-serve.stdout" | head -1)
    [ -n "$intel_url" ] && break
    kill -0 "$intel_pid" 2>/dev/null || { cat "$out/intel-server.log" >&2; die "the intel server exited"; }
    sleep 0.05
  done
  [ -n "$intel_url" ] || die "the intel server did not say where it listens"
}

intel_curl() { curl --noproxy '*' -sS "$@"; }

run_intel_lookup() {
  intel_make_populated
  command -v wrk >/dev/null || die "wrk is not installed (run scripts/bootstrap --bench, or make bench)"
  local d="$intel_populated" qfile="$intel_dir/queries.txt"
  "$intel_gen" --format queries --count "$intel_queries" --of "$intel_seed" --seed 1 >"$qfile" ||
    die "intel_gen (queries)"
  say "intel-lookup: serving $d"
  intel_serve "$d"
  local listening_ms jar="$intel_dir/cookies" login csrf tok token first first_ms second_ms
  listening_ms=$((($(date +%s%N) - intel_started_ns) / 1000000))
  login=$(intel_curl -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$admin_pw\"}" "$intel_url/api/v1/session")
  csrf=$(printf '%s' "$login" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
  [ -n "$csrf" ] || die "intel: login failed: $login"
  tok=$(intel_curl -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
    -d '{"name":"bench-intel"}' "$intel_url/api/v1/tokens")
  token=$(printf '%s' "$tok" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [ -n "$token" ] || die "intel: token creation failed: $tok"
  # The first look-up: the structure was built in the background since the start.
  first=$(head -1 "$qfile")
  first_ms=$(intel_curl -o "$out/intel-first.json" -w '%{time_total}' \
    -H "Authorization: Bearer $token" "$intel_url/api/v1/indicators/lookup?value=$first")
  local since_start_ms=$((($(date +%s%N) - intel_started_ns) / 1000000))
  second_ms=$(intel_curl -o /dev/null -w '%{time_total}' \
    -H "Authorization: Bearer $token" "$intel_url/api/v1/indicators/lookup?value=$first")
  grep -q '"matches"' "$out/intel-first.json" || { cat "$out/intel-first.json" >&2; die "intel: the first look-up failed"; }
  # A value of the seed file must be found (the first row's, an IPv4 address).
  local listed
  listed=$(sed -n '2s/,.*//p' "$intel_dir/seed.csv")
  intel_curl -o "$out/intel-listed.json" -H "Authorization: Bearer $token" \
    "$intel_url/api/v1/indicators/lookup?value=$listed"
  grep -q '"match":"exact"' "$out/intel-listed.json" ||
    { cat "$out/intel-listed.json" >&2; die "intel: $listed, a seeded value, was not found"; }
  first_ms=$(awk -v s="$first_ms" 'BEGIN {printf "%.1f", s * 1000}')
  second_ms=$(awk -v s="$second_ms" 'BEGIN {printf "%.1f", s * 1000}')
  # The server logs how long the background build took (background.c).
  local built_ms
  built_ms=$(sed -n 's/.*"event":"background.lookup_ready","ms":\([0-9]*\).*/\1/p' "$out/intel-server.log" | head -1)
  [ -n "$built_ms" ] || built_ms=null
  say "intel-lookup: listening after ${listening_ms} ms; first look-up ${first_ms} ms (answered ${since_start_ms} ms after start), second ${second_ms} ms; built in the background in ${built_ms} ms"
  export BENCH_TOKEN=$token BENCH_WRK_DIR=$root/bench/wrk BENCH_LOOKUP_FILE=$qfile
  local c t line pcpu0 pcpu1 secs srv n2 sockerr
  for c in 1 "$conns"; do
    t=$wthreads
    [ "$t" -le "$c" ] || t=$c
    if [ "$warmup" != 0 ] && [ "$warmup" != 0s ]; then
      BENCH_SCENARIO=intel-lookup-warmup wrk -t"$t" -c"$c" -d"$warmup" --timeout "$timeout" \
        -s "$root/bench/wrk/intel_lookup.lua" "$intel_url" >"$out/intel-lookup-$c.warmup.txt" 2>&1 ||
        { cat "$out/intel-lookup-$c.warmup.txt" >&2; die "wrk (intel-lookup warm-up)"; }
    fi
    say "intel-lookup: $intel_lookup_duration, $c connection(s), $t wrk thread(s)"
    pcpu0=$(proc_cpu "$intel_pid")
    BENCH_SCENARIO=intel-lookup wrk -t"$t" -c"$c" -d"$intel_lookup_duration" --timeout "$timeout" \
      --latency -s "$root/bench/wrk/intel_lookup.lua" "$intel_url" >"$out/intel-lookup-$c.txt" 2>&1 ||
      { cat "$out/intel-lookup-$c.txt" >&2; die "wrk (intel-lookup)"; }
    pcpu1=$(proc_cpu "$intel_pid")
    line=$(sed -n 's/^BENCH_JSON //p' "$out/intel-lookup-$c.txt" | tail -1)
    [ -n "$line" ] || { cat "$out/intel-lookup-$c.txt" >&2; die "no result line from wrk (intel-lookup)"; }
    secs=$(printf '%s' "$line" | sed -n 's/.*"duration_s":\([0-9.]*\).*/\1/p')
    srv=$(awk -v a="$pcpu0" -v b="$pcpu1" -v s="$secs" 'BEGIN {printf "%.2f", (b - a) / s}')
    line="${line%\}},\"connections\":$c,\"server_cpu_cores\":$srv,\"first_lookup_ms\":$first_ms,\"second_lookup_ms\":$second_ms,\"listening_ms\":$listening_ms,\"first_answered_ms\":$since_start_ms,\"built_ms\":$built_ms,\"indicators\":$intel_seed}"
    echo "$line" >>"$out/results.jsonl"
    intel_lookup_results+=("$line")
    n2=$(printf '%s' "$line" | sed -n 's/.*"non2xx":\([0-9]*\).*/\1/p')
    sockerr=$(printf '%s' "$line" | sed -n 's/.*"connect_errors":\([0-9]*\),"read_errors":\([0-9]*\),"write_errors":\([0-9]*\),"timeouts":\([0-9]*\).*/\1 \2 \3 \4/p' |
      awk '{print $1 + $2 + $3 + $4}')
    if [ "$n2" != 0 ] || [ "$sockerr" != 0 ]; then
      say "intel-lookup ($c connections): $n2 non-2xx answers, $sockerr socket errors"
      grep -m5 '"status":[45]' "$out/intel-server.log" >&2 || true
      failed=1
    fi
  done
  kill -TERM "$intel_pid"
  wait "$intel_pid" || say "the intel server exited with status $?"
  intel_pid=""
  # One access-log line per request: a quarter of a gigabyte for the two runs.
  ! command -v gzip >/dev/null || gzip -f "$out/intel-server.log"
  # init's record, the seed import, the login, the token.
  intel_verify "$d" 4 lookup
  if [ -x "$intel_lookup_bin" ]; then
    say "intel-lookup: in process (bench/intel_lookup, $intel_seed indicators)"
    "$intel_lookup_bin" --indicators "$intel_seed" >"$out/intel-inproc.txt" 2>&1 ||
      { cat "$out/intel-inproc.txt" >&2; die "bench/intel_lookup"; }
    intel_inproc_result=$(sed -n 's/^INTEL_LOOKUP_JSON //p' "$out/intel-inproc.txt")
    [ -z "$intel_inproc_result" ] ||
      echo "{\"scenario\":\"intel-lookup-inproc\",${intel_inproc_result#\{}" >>"$out/results.jsonl"
  fi
}

# The summary's intel tables (inside write_summary's output).
intel_summary() {
  local line goal v
  if [ ${#intel_import_results[@]} -gt 0 ]; then
    echo
    echo "| intel-import | into | indicators | imported | merged | best s | median s | per s (best) | per s (median) | CPU s (best) | machine busy | goal | verdict |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
    for line in "${intel_import_results[@]}"; do
      get() { printf '%s' "$line" | sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\).*/\1/p"; }
      goal=$goal_csv_per_s
      [ "$(get format)" = csv ] || goal=$goal_stix_per_s
      v=$(awk -v r="$(get per_s_median)" -v g="$goal" 'BEGIN {print (r >= g) ? "met" : sprintf("MISSED (%.1f%% of goal)", 100 * r / g)}')
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s%% | >= %s/s | %s |\n' "$(get format)" \
        "$(get into)" "$(get indicators)" "$(get imported)" "$(get merged)" "$(get best_s)" \
        "$(get median_s)" "$(get per_s_best)" "$(get per_s_median)" "$(get cpu_s_best)" \
        "$(get machine_cpu_busy_pct)" "$goal" "$v"
    done
    echo
    echo "intel-import: \`yingji intel import\` timed from process start to exit, $intel_runs runs each;"
    echo "\"populated\" is a copy of a store already holding $intel_seed indicators, \"again\" the"
    echo "same CSV imported a second time into a fresh store (every row merges). Verdict on the median."
  fi
  if [ ${#intel_lookup_results[@]} -gt 0 ]; then
    echo
    echo "| intel-lookup | connections | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | server CPU | server µs/req | goal | verdict |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
    for line in "${intel_lookup_results[@]}"; do
      get() { printf '%s' "$line" | sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\).*/\1/p"; }
      goal="-" v="-"
      if [ "$(get connections)" = 1 ]; then
        goal="p99 < $goal_lookup_p99_ms ms"
        v=$(awk -v p="$(get p99_ms)" -v g=$goal_lookup_p99_ms 'BEGIN {print (p < g) ? "met" : sprintf("MISSED (p99 %.1fx goal)", p / g)}')
      fi
      printf '| GET lookup | %s | %.0f | %s | %s | %s | %s | %s | %s | %.0f | %s | %s |\n' \
        "$(get connections)" "$(get rps)" "$(get p50_ms)" "$(get p90_ms)" "$(get p99_ms)" \
        "$(get p999_ms)" "$(get max_ms)" "$(get server_cpu_cores)" \
        "$(awk -v c="$(get server_cpu_cores)" -v r="$(get rps)" 'BEGIN {print (r > 0) ? c * 1e6 / r : 0}')" \
        "$goal" "$v"
    done
    line=${intel_lookup_results[0]}
    echo
    echo "intel-lookup: $intel_seed live indicators served. The server listened after $(get listening_ms) ms and"
    echo "built the look-up structure in the background in $(get built_ms) ms; the first look-up (sent once"
    echo "logged in, answered $(get first_answered_ms) ms after start) took $(get first_lookup_ms) ms, the next $(get second_lookup_ms) ms."
  fi
  if [ -n "$intel_inproc_result" ]; then
    line=$intel_inproc_result
    get() { printf '%s' "$line" | sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\).*/\1/p"; }
    echo
    echo "| in process | indicators | look-ups/s IPv4 | look-ups/s mixed | bytes per IPv4 | build s | goal | verdict |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"
    v=$(awk -v r="$(get lookups_per_s_ipv4)" -v b="$(get bytes_per_ipv4)" -v g=$goal_inproc_per_s -v gb=$goal_bytes_per_ipv4 \
      'BEGIN {print (r >= g && b <= gb) ? "met" : "MISSED"}')
    printf '| bench/intel_lookup | %s | %s | %s | %s | %s | >= %s/s, <= %s B | %s |\n' "$(get indicators)" \
      "$(get lookups_per_s_ipv4)" "$(get lookups_per_s_mixed)" "$(get bytes_per_ipv4)" "$(get build_s)" \
      "$goal_inproc_per_s" "$goal_bytes_per_ipv4" "$v"
  fi
}

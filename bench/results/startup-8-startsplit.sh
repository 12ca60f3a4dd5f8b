#!/usr/bin/env bash
# usage: startsplit.sh <dir> <port> [extra java opts...]  — start the registry (AOT cache) in <dir>, wait ready, print CPU per thread group
APP=/work/wt-lead3/registry-service/target/quarkus-app; J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
dir=$1; port=$2; shift 2
mkdir -p $dir; cd $dir
t0=$(date +%s.%N)
$J -XX:AOTCache=$APP/app.aot "$@" -Dquarkus.profile=demo -Dquarkus.http.port=$port -jar $APP/quarkus-run.jar >> app.log 2>&1 &
pid=$!
for i in $(seq 1 3000); do curl -fsS -o /dev/null localhost:$port/q/health/ready 2>/dev/null && break; sleep 0.02; done
t1=$(date +%s.%N)
echo "ready $(echo "$t1-$t0"|bc) s, load $(cut -d' ' -f1 /proc/loadavg)"
for t in /proc/$pid/task/*; do n=$(cat $t/comm); c=$(awk '{print $14+$15}' $t/stat); echo "$n|$c"; done | awk -F'|' '{g=$1; if(g~/C2 Compiler/)g="C2"; else if(g~/C1 Compiler/)g="C1"; else if(g~/GC|G1/)g="GC"; else if(g~/executor/)g="executor"; else if(g~/vert.x|eventloop/)g="vertx"; s[g]+=$2; tot+=$2} END{for(k in s) if(s[k]>0) printf "  %-20s %6.2f s %5.1f%%\n", k, s[k]/100, 100*s[k]/tot; printf "  total %.2f s\n", tot/100}' | sort -k2 -nr
kill -TERM $pid; wait $pid 2>/dev/null

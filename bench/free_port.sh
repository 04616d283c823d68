# free_port: prints a TCP port on 127.0.0.1 that nothing listens on (sourced by the bench scripts that start
# servers of their own).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

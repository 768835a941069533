# Sourced by ./sivi, ./run-tests and .ci/run: finds a JDK 25 without any hand-set JAVA_HOME.
sivi_find_jdk() {
  local c
  for c in "${SIVI_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /opt/java/*25*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    # the JDK's release file says its version without starting a JVM (~0.1 s per launch saved)
    if [ -f "$c/release" ]; then
      grep -q -E '^JAVA_VERSION="(2[5-9]|[3-9][0-9])' "$c/release" && { echo "$c"; return 0; }
    elif "$c/bin/java" -version 2>&1 | grep -q -E 'version "(2[5-9]|[3-9][0-9])'; then echo "$c"; return 0; fi
  done
  return 1
}
SIVI_JDK=$(sivi_find_jdk) || { echo "sivi: no JDK 25 found (looked in \$SIVI_JAVA_HOME, \$JAVA_HOME, /usr/lib/jvm). Install Temurin 25." >&2; exit 1; }
export JAVA_HOME="$SIVI_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own JVM warnings on JDK 25 (Unsafe in its bundled libraries) are noise for our users.
export MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"

# Sourced by the benchmark runners: builds the test classes and sets $cp to the classpath of the
# integration tests (their test classes and every test-scope dependency). Run from the repository root.
: "${JAVA_HOME:?set JAVA_HOME to a JDK 21+}"
mkdir -p integration-tests/target
build_log=integration-tests/target/bench-build.log
mvn -B -ntp -q -pl integration-tests -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >"$build_log" 2>&1 \
  || { cat "$build_log"; exit 1; }
cp="integration-tests/target/test-classes:$(cat integration-tests/target/bench.classpath)"

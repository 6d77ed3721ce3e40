package dev.relay.it.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.relay.admin.AdminServer;
import dev.relay.config.RelayConfig;
import dev.relay.smtp.server.ListenerConfig;
import dev.relay.it.RelayProcess;
import dev.relay.it.docker.Dockerfile.Copy;
import dev.relay.it.docker.Dockerfile.Instruction;
import dev.relay.it.docker.Dockerfile.Stage;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/Dockerfile checked against the build and the container config, without a Docker
 * engine: what would otherwise only break when someone builds or runs the image.
 */
class DockerfileTest {

    private static final Path ROOT = Repository.root();
    private static final Dockerfile DOCKERFILE = Dockerfile.read(ROOT.resolve("docker/Dockerfile"));
    private static final Stage BUILD = DOCKERFILE.stage("build");
    static final Stage IMAGE = DOCKERFILE.finalStage();

    @TempDir
    Path work;

    @Test
    void copiesTheJarTheShadePluginBuilds() {
        String jar = MavenPoms.shadedJar();
        assertThat(jar).as("the shade plugin's output, from relay-server/pom.xml").isEqualTo("relay-server/target/relay.jar");

        List<Copy> fromBuild = IMAGE.copies().stream().filter(c -> c.from().equals(BUILD.name())).toList();
        assertThat(fromBuild).as("COPY --from=build lines").hasSize(1);
        assertThat(fromBuild.get(0).sources()).containsExactly(BUILD.workdir() + "/" + jar);

        Path built = ROOT.resolve(jar);
        assertThat(built).as("packaged before integration-tests run").isRegularFile();
        assertThat(built.toAbsolutePath().normalize()).as("the jar the other integration tests run")
                .isEqualTo(RelayProcess.jar().toAbsolutePath().normalize());
        assertThat(BUILD.all("RUN")).as("a RUN packaging relay-server").anySatisfy(run -> assertThat(run.arguments())
                .contains("mvn").contains(" package").contains("-pl relay-server").contains("-am"));
    }

    @Test
    void buildStageHasEveryPomTheReactorReadsAndEverySourceTheJarIsMadeOf() {
        Set<String> copied = BUILD.copies().stream().flatMap(c -> c.sources().stream())
                .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s).collect(Collectors.toSet());
        assertThat(copied).contains("pom.xml");
        for (String module : MavenPoms.modules()) {
            assertThat(copied).as("the reactor reads %s/pom.xml even when -pl leaves the module out", module)
                    .contains(module + "/pom.xml");
        }
        for (String module : MavenPoms.modulesRelayServerIsBuiltFrom()) {
            assertThat(copied).as("sources of %s", module).contains(module + "/src");
        }
        for (String resourceDir : MavenPoms.relayServerResourceDirectoriesOutsideTheModule()) {
            assertThat(copied).as("resources the jar takes from %s", resourceDir).contains(resourceDir);
        }
    }

    @Test
    void entrypointRunsTheCopiedJarInExecFormWithTheContainerConfig() {
        Instruction entrypoint = IMAGE.last("ENTRYPOINT").orElseThrow(() -> new AssertionError("no ENTRYPOINT"));
        List<String> argv = entrypoint.execForm();
        assertThat(argv.get(0)).as("the JVM itself is PID 1 and receives SIGTERM: no shell in between")
                .startsWith("/").endsWith("/java");
        assertThat(IMAGE.all("RUN")).as("the java that runs is the one allowed to bind ports below 1024")
                .anySatisfy(run -> assertThat(run.arguments()).contains("setcap cap_net_bind_service=+ep " + argv.get(0)));
        int jarFlag = argv.indexOf("-jar");
        assertThat(jarFlag).as("-jar in %s", argv).isPositive();
        Copy jarCopy = IMAGE.copies().stream().filter(c -> c.from().isPresent()).findFirst().orElseThrow();
        assertThat(argv.get(jarFlag + 1)).isEqualTo(jarCopy.target(jarCopy.sources().get(0), IMAGE.workdir()));

        Copy configCopy = IMAGE.copies().stream().filter(c -> c.sources().equals(List.of(ContainerConfig.SOURCE)))
                .findFirst().orElseThrow(() -> new AssertionError("no COPY of " + ContainerConfig.SOURCE));
        assertThat(IMAGE.last("CMD").orElseThrow().execForm())
                .containsExactly("run", "--config", configCopy.target(ContainerConfig.SOURCE, IMAGE.workdir()));
        assertThat(IMAGE.last("STOPSIGNAL").map(Instruction::arguments)).contains("SIGTERM");
    }

    @Test
    void runsAsAUserThatIsNotRootAndOwnsTheVolume() {
        String user = IMAGE.last("USER").orElseThrow(() -> new AssertionError("no USER: the relay would run as root"))
                .arguments().split(":")[0];
        assertThat(user).isNotIn("root", "0");
        assertThat(IMAGE.all("RUN")).as("a RUN that creates the user")
                .anySatisfy(run -> assertThat(run.arguments()).containsPattern("useradd .*\\b" + user + "\\b"));
        for (String volume : volumes()) {
            assertThat(IMAGE.all("RUN")).as("%s owned by %s, so a fresh named volume is writable", volume, user)
                    .anySatisfy(run -> assertThat(run.arguments()).contains("chown " + user + ":" + user + " " + volume));
        }
    }

    @Test
    void exposesExactlyTheListenerAndAdminPortsOfTheContainerConfig() {
        RelayConfig config = ContainerConfig.load(work, Map.of());
        Set<Integer> configured = new TreeSet<>();
        for (ListenerConfig listener : config.listeners()) {
            assertThat(listener.address().host()).as("listeners bind every interface of the container").isEqualTo("0.0.0.0");
            configured.add(listener.address().port());
        }
        assertThat(config.admin().address().host()).as("Prometheus scrapes the admin port from outside").isEqualTo("0.0.0.0");
        configured.add(config.admin().address().port());
        assertThat(exposedPorts()).isEqualTo(configured).containsExactlyInAnyOrder(25, 587, 465, 9464);
    }

    @Test
    void volumeHoldsTheSpoolAndThePolicyCache() {
        assertThat(volumes()).containsExactly("/var/spool/relay");
        RelayConfig config = ContainerConfig.load(work, Map.of());
        Path volume = Path.of(volumes().get(0));
        assertThat(config.spool().directory()).startsWithRaw(volume).isNotEqualTo(volume);
        assertThat(config.mtaSts().cacheDirectory()).startsWithRaw(volume).isNotEqualTo(volume);
        assertThat(config.spool().directory()).isNotEqualTo(config.mtaSts().cacheDirectory());
    }

    @Test
    void healthcheckAsksTheAdminServersReadyPathOverLoopback() {
        Instruction healthcheck = IMAGE.last("HEALTHCHECK").orElseThrow(() -> new AssertionError("no HEALTHCHECK"));
        URI url = healthcheckUrl(healthcheck);
        RelayConfig config = ContainerConfig.load(work, Map.of());
        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        assertThat(url.getPort()).isEqualTo(config.admin().address().port());
        assertThat(url.getPath()).isEqualTo(AdminServer.READY_PATH);

        String tool = healthcheck.arguments().replaceFirst("^.*?\\bCMD\\s+", "").split("\\s+")[0];
        assertThat(IMAGE.all("RUN")).as("%s is installed in the image (slim JRE images have no HTTP client)", tool)
                .anySatisfy(run -> assertThat(run.arguments()).containsPattern("apt-get install[^&]*\\b" + tool + "\\b"));
    }

    @Test
    void imageEnvironmentIsValidConfigurationAndSizesTheHeapByTheContainer() {
        Map<String, String> env = IMAGE.env();
        Map<String, String> relayVariables = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("RELAY_")) {
                relayVariables.put(name, value);
            }
        });
        // an unknown RELAY_ name would stop the relay at start: loading proves each one is a key
        ContainerConfig.load(work, relayVariables);
        assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void containerConfigPassesConfigCheckOnceTheFilesAndTokenAreThere() throws Exception {
        Map<String, String> env = ContainerMounts.create("relay.test").writeForHost(work);
        RelayCli.Result check = RelayCli.run(work, env, "config", "check", "--config", ContainerConfig.file().toString());
        assertThat(check.exitCode()).as(check.stderr()).isZero();
        assertThat(check.stdout()).contains(ContainerConfig.file() + ": valid")
                .contains("0.0.0.0:25").contains("0.0.0.0:587").contains("0.0.0.0:465").contains("0.0.0.0:9464")
                .contains("/var/spool/relay/spool").contains("/var/spool/relay/mta-sts")
                .doesNotContain(env.get("RELAY_ADMIN_TOKEN"));
    }

    @Test
    void withoutTheAdminTokenTheContainerRefusesToStartAndSaysWhy() throws Exception {
        Map<String, String> env = new HashMap<>(ContainerMounts.create("relay.test").writeForHost(work));
        env.remove("RELAY_ADMIN_TOKEN");
        RelayCli.Result check = RelayCli.run(work, env, "config", "check", "--config", ContainerConfig.file().toString());
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.stderr().strip()).doesNotContain("\n").contains("admin.address").contains("admin.token");
    }

    @Test
    void withoutTheMountedCertificateTheContainerNamesTheMissingFile() throws Exception {
        String certificate = ContainerConfig.path("tls.certificate");
        assumeThat(Path.of(certificate)).as("this machine has its own " + certificate).doesNotExist();
        RelayCli.Result check = RelayCli.run(work, Map.of("RELAY_ADMIN_TOKEN", "t"), "config", "check", "--config",
                ContainerConfig.file().toString());
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.stderr().strip()).doesNotContain("\n").contains("tls.certificate").contains(certificate)
                .contains("no such file");
    }

    static List<String> volumes() {
        return IMAGE.all("VOLUME").stream().flatMap(v -> v.isExecForm() ? v.execForm().stream() : v.words().stream()).toList();
    }

    static Set<Integer> exposedPorts() {
        return IMAGE.all("EXPOSE").stream().flatMap(e -> e.words().stream())
                .map(p -> Integer.parseInt(p.replace("/tcp", ""))).collect(Collectors.toCollection(TreeSet::new));
    }

    static URI healthcheckUrl(Instruction healthcheck) {
        Matcher url = Pattern.compile("http://[^\\s\"']+").matcher(healthcheck.arguments());
        assertThat(url.find()).as("an http:// URL in %s", healthcheck.arguments()).isTrue();
        return URI.create(url.group());
    }
}

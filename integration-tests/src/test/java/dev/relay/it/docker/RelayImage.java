package dev.relay.it.docker;

import java.nio.file.Path;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The relay image, built once per test JVM from docker/Dockerfile with the build context the
 * Docker CLI would send: the repository root filtered by .dockerignore (the same reading of it
 * that {@link DockerBuildContextTest} checks).
 */
final class RelayImage {
    private RelayImage() {}

    private static final ImageFromDockerfile IMAGE = build();

    static ImageFromDockerfile get() {
        return IMAGE;
    }

    // withDockerfile(Path) would make docker-java send the Dockerfile's own folder (docker/) as
    // the context; the path form keeps the context built here
    @SuppressWarnings("deprecation")
    private static ImageFromDockerfile build() {
        Path root = Repository.root();
        ImageFromDockerfile image = new ImageFromDockerfile("relay-docker-test", true);
        for (String file : DockerIgnore.of(root).contextFiles(root)) {
            image.withFileFromPath(file, root.resolve(file));
        }
        // the CLI sends the Dockerfile even though .dockerignore leaves docker/ out
        image.withFileFromPath("docker/Dockerfile", root.resolve("docker/Dockerfile"));
        return image.withDockerfilePath("docker/Dockerfile");
    }
}

package dev.relay.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The queue module is a plain library: files and threads, no network, no cycles. */
class QueueRulesTest {

    private static JavaClasses queue;

    @BeforeAll
    static void importClasses() {
        queue = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.relay.queue", "dev.relay.outcome", "dev.relay.label");
    }

    @Test
    void theQueueReachesNoNetwork() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.net..", "javax.net..", "io.netty..",
                        "io.micrometer..", "java.net.http..")
                .because("relay-queue is the durable spool: metrics reach it only through QueueEvents")
                .check(queue);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.relay.(**)").should().beFreeOfCycles().check(queue);
    }
}

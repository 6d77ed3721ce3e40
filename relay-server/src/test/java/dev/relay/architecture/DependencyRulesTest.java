package dev.relay.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.relay.tls.HostnameMatcher;
import dev.relay.tls.TlsRequirement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout rules of the README's architecture section, checked on the compiled main code of
 * both modules (the queue module's classes are on this module's class path).
 */
class DependencyRulesTest {

    private static JavaClasses relay;

    @BeforeAll
    static void importClasses() {
        // main code only: the queue module's classes come as a directory or a jar depending on the
        // Maven phase, and its test jar (which has test helpers in dev.relay.outcome) must stay out
        relay = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/test-classes/") && !location.contains("-tests.jar"))
                .importPackages("dev.relay");
    }

    @Test
    void everyPackageIsFreeOfCycles() {
        slices().matching("dev.relay.(**)").should().beFreeOfCycles().check(relay);
    }

    @Test
    void onlyTheApplicationRootAndTheCommandLineReadTheConfiguration() {
        noClasses().that().resideOutsideOfPackages("dev.relay", "dev.relay.cli", "dev.relay.config")
                .should().dependOnClassesThat().resideInAPackage("dev.relay.config")
                .because("each capability takes its own settings record; only the root and cli map YAML to them")
                .check(relay);
    }

    @Test
    void theMtaStsCoreDoesNoIo() {
        classes().that().resideInAPackage("dev.relay.mtasts")
                .and().haveSimpleNameStartingWith("StsRecord")
                .or().haveSimpleName("PolicyParser").or().haveSimpleName("PolicyParse").or().haveSimpleName("PolicyFields")
                .or().haveSimpleName("MxPattern").or().haveSimpleName("HostNames").or().haveSimpleName("Policy")
                .or().haveSimpleName("PolicyDecision").or().haveSimpleName("HostVerdict").or().haveSimpleName("NearMiss")
                .should().onlyDependOnClassesThat(resideInAnyPackage("java.lang..", "java.util..", "java.time..",
                        "java.nio.charset..", "dev.relay.mtasts", "dev.relay.text", "dev.relay.outcome")
                        // IDN is a pure function that happens to live in java.net; the TLS level is an enum value
                        .or(equivalentTo(java.net.IDN.class)).or(equivalentTo(TlsRequirement.class)))
                .because("parse, match and decide are pure functions, tested by tables")
                .check(relay);
    }

    @Test
    void theTlsReportingCoreDoesNoIo() {
        classes().that().resideInAPackage("dev.relay.tlsrpt")
                .and().haveSimpleNameStartingWith("TlsRptRecord").or().haveSimpleName("ReportUri")
                .or().haveSimpleNameStartingWith("TlsSession")
                .or().haveSimpleName("SessionPolicy").or().haveSimpleName("PolicyType")
                .or().haveSimpleName("TlsReport").or().haveSimpleName("TlsReports")
                .should().onlyDependOnClassesThat(resideInAnyPackage("java.lang..", "java.util..", "java.time..",
                        "java.nio.charset..", "dev.relay.tlsrpt", "dev.relay.outcome", "dev.relay.text",
                        "dev.relay.label", "com.fasterxml.jackson.annotation..")
                        // URI parsing and percent-decoding are pure functions that live in java.net
                        .or(equivalentTo(java.net.URI.class)).or(equivalentTo(java.net.URISyntaxException.class))
                        .or(equivalentTo(java.net.URLDecoder.class)))
                .because("the record, the session rules and the report are pure functions, tested by tables")
                .check(relay);
    }

    @Test
    void theDaneCoreDoesNoIo() {
        classes().that().resideInAPackage("dev.relay.dane")
                .should().onlyDependOnClassesThat(resideInAnyPackage("java.lang..", "java.util..", "java.time..",
                        "java.security..", "javax.security.auth.x500..", "dev.relay.dane", "dev.relay.outcome")
                        // the name check is the one MTA-STS uses: a pure function over the certificate
                        .or(equivalentTo(HostnameMatcher.class)))
                .because("DANE's verdict is a function of the records, the chain, the names and the time, tested by tables")
                .check(relay);
    }

    @Test
    void theOutcomeModelIsPlainValues() {
        classes().that().resideInAPackage("dev.relay.outcome")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java.lang..", "java.util..", "dev.relay.outcome",
                        "dev.relay.label")
                .check(relay);
    }

    @Test
    void deliveryIsAboveWhatItUses() {
        noClasses().that().resideInAnyPackage("dev.relay.queue..", "dev.relay.outcome..", "dev.relay.smtp.client..",
                        "dev.relay.mtasts..", "dev.relay.dns..", "dev.relay.tls..", "dev.relay.tlsrpt..")
                .should().dependOnClassesThat().resideInAPackage("dev.relay.delivery..")
                .check(relay);
    }

    @Test
    void theOutboundClientKnowsNothingOfQueuesPoliciesOrOutcomes() {
        noClasses().that().resideInAPackage("dev.relay.smtp.client..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.relay.outcome..", "dev.relay.mtasts..",
                        "dev.relay.dsn..", "dev.relay.admin..", "dev.relay.metrics..")
                .check(relay);
    }

    @Test
    void theSmtpServerKnowsNothingOfDelivery() {
        noClasses().that().resideInAPackage("dev.relay.smtp.server..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.relay.delivery..", "dev.relay.smtp.client..",
                        "dev.relay.outcome..", "dev.relay.mtasts..", "dev.relay.dane..", "dev.relay.dns..",
                        "dev.relay.tlsrpt..", "dev.relay.dsn..", "dev.relay.admin..", "dev.relay.metrics..")
                .because("the listener's job ends when the queue has the message; metrics reach it through SmtpEvents")
                .check(relay);
    }

    @Test
    void theSmtpServerProtocolKnowsNoNetty() {
        noClasses().that().resideInAPackage("dev.relay.smtp.server")
                .and().haveSimpleNameStartingWith("SmtpSession").or().haveSimpleName("SessionIo")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .because("the state machine is driven by unit tests without a channel; SessionHandler is its Netty side")
                .check(relay);
    }

    @Test
    void nothingDependsOnTheCommandLine() {
        noClasses().that().resideOutsideOfPackages("dev.relay.cli..", "dev.relay")
                .should().dependOnClassesThat().resideInAPackage("dev.relay.cli..")
                .check(relay);
    }
}

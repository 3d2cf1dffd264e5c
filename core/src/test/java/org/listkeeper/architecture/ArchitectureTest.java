package org.listkeeper.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The rules that keep {@code core} a place a maintainer can find their way in: its packages depend on each other one
 * way only, it knows nothing of James's server (only the mailet API, James's core value types and mime4j), and the
 * JDBC store is reached through the aggregate interfaces, never by name.
 */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("org.listkeeper");

    @Test
    void corePackagesShouldBeFreeOfCycles() {
        slices().matching("org.listkeeper.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void coreShouldNotDependOnJamesServerClasses() {
        noClasses().that().resideInAPackage("org.listkeeper..")
            .should().dependOnClassesThat(resideInAPackage("org.apache.james..")
                .and(not(resideInAnyPackage("org.apache.james.core..", "org.apache.james.mime4j.."))))
            .check(CORE);
    }

    @Test
    void onlyTheStoreShouldKnowItsJdbcImplementation() {
        noClasses().that().resideOutsideOfPackage("org.listkeeper.store..")
            .should().dependOnClassesThat().resideInAPackage("org.listkeeper.store.jdbc..")
            .check(CORE);
    }

    @Test
    void domainPackagesShouldNotReachTheStoreOrTheHandlers() {
        noClasses().that().resideInAnyPackage("org.listkeeper.list..", "org.listkeeper.notices..", "org.listkeeper.membership..",
            "org.listkeeper.moderation..", "org.listkeeper.bounces..", "org.listkeeper.unsubscribe..", "org.listkeeper.dmarc..",
            "org.listkeeper.pipeline..", "org.listkeeper.archive..")
            .should().dependOnClassesThat().resideInAnyPackage("org.listkeeper.store..", "org.listkeeper.handlers..")
            .check(CORE);
    }
}

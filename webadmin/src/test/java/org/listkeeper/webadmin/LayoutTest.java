package org.listkeeper.webadmin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * WebAdmin as James lays it out: the routes ({@code org.listkeeper.webadmin}) speak HTTP and call services
 * ({@code .service}) that do the work, and shape their answers with DTOs ({@code .dto}). Only routes know Spark; the
 * services know neither routes nor DTOs; nothing takes the whole store, each component the aggregates it needs.
 */
class LayoutTest {
    private static final String ROUTES = "org.listkeeper.webadmin";
    private static final JavaClasses WEBADMIN = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROUTES);

    @Test
    void onlyRoutesShouldSpeakHttp() {
        noClasses().that().resideInAnyPackage(ROUTES + ".service..", ROUTES + ".dto..")
            .should().dependOnClassesThat().resideInAnyPackage("spark..", "javax.servlet..", "org.apache.james.webadmin..")
            .check(WEBADMIN);
    }

    @Test
    void servicesShouldKnowNeitherRoutesNorDtos() {
        noClasses().that().resideInAPackage(ROUTES + ".service..")
            .should().dependOnClassesThat().resideInAnyPackage(ROUTES, ROUTES + ".dto..")
            .check(WEBADMIN);
    }

    @Test
    void dtosShouldKnowNoRoutes() {
        noClasses().that().resideInAPackage(ROUTES + ".dto..")
            .should().dependOnClassesThat().resideInAPackage(ROUTES)
            .check(WEBADMIN);
    }

    @Test
    void nothingShouldTakeTheWholeStore() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.listkeeper.store..").check(WEBADMIN);
    }
}

package io.meterflow;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules of docs/architecture.md, checked on the compiled main classes: the flow runs
 * one way (source → ingest → store ← export ← api), the model depends on nothing, only the HTTP
 * layer and the wiring know Camel or HTTP.
 */
@AnalyzeClasses(packages = "io.meterflow", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String SERIES = "io.meterflow.series..";
    private static final String SETTINGS = "io.meterflow.settings..";
    private static final String STORE = "io.meterflow.store..";
    private static final String INGEST = "io.meterflow.ingest..";
    private static final String SOURCE = "io.meterflow.source..";
    private static final String EXPORT = "io.meterflow.export..";
    private static final String ANALYSIS = "io.meterflow.analysis..";
    private static final String API = "io.meterflow.api..";
    private static final String APP = "io.meterflow.app..";
    private static final String METRICS = "io.meterflow.metrics..";

    @ArchTest
    static final ArchRule packages_form_no_cycles =
            slices().matching("io.meterflow.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule the_model_depends_on_nothing_else_of_the_project = classes()
            .that()
            .resideInAPackage(SERIES)
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(SERIES, "java..", "org.slf4j..");

    @ArchTest
    static final ArchRule the_metrics_facade_depends_on_nothing = classes()
            .that()
            .resideInAPackage(METRICS)
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(METRICS, "java..");

    @ArchTest
    static final ArchRule only_the_wiring_knows_micrometer = noClasses()
            .that()
            .resideOutsideOfPackage(APP)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.micrometer..");

    @ArchTest
    static final ArchRule settings_depend_only_on_the_model = noClasses()
            .that()
            .resideInAPackage(SETTINGS)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(STORE, INGEST, SOURCE, EXPORT, API, APP);

    @ArchTest
    static final ArchRule the_store_knows_no_source_export_or_api = noClasses()
            .that()
            .resideInAPackage(STORE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(SETTINGS, INGEST, SOURCE, EXPORT, ANALYSIS, API, APP);

    @ArchTest
    static final ArchRule the_write_path_knows_no_source_export_or_api = noClasses()
            .that()
            .resideInAPackage(INGEST)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(SOURCE, EXPORT, API, APP);

    @ArchTest
    static final ArchRule sources_know_no_export_or_api = noClasses()
            .that()
            .resideInAPackage(SOURCE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(EXPORT, API, APP);

    @ArchTest
    static final ArchRule sources_are_independent_of_each_other =
            slices().matching("io.meterflow.source.(*)..").should().notDependOnEachOther();

    @ArchTest
    static final ArchRule exports_know_no_source_write_path_or_api = noClasses()
            .that()
            .resideInAPackage(EXPORT)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(INGEST, SOURCE, API, APP);

    @ArchTest
    static final ArchRule analyses_read_the_store_only = noClasses()
            .that()
            .resideInAPackage(ANALYSIS)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(SETTINGS, INGEST, SOURCE, EXPORT, API, APP);

    @ArchTest
    static final ArchRule only_the_wiring_uses_the_http_layer = noClasses()
            .that()
            .resideOutsideOfPackages(API, APP)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(API);

    @ArchTest
    static final ArchRule nothing_depends_on_the_wiring = noClasses()
            .that()
            .resideOutsideOfPackage(APP)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(APP);

    @ArchTest
    static final ArchRule only_the_wiring_and_the_http_layer_know_camel = noClasses()
            .that()
            .resideOutsideOfPackages(API, APP)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.apache.camel..");
}

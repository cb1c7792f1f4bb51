//! The change vocabulary, in one place: every object type and every change
//! code, each with its kebab-case name (what ignore rules, JSON consumers and
//! alert routing use), its kind, its default severity and what it means.
//!
//! A new code is one line in [`codes!`] below (and one row in
//! src/report/json-report.md, which a test holds to this list); a new
//! object type is one line in [`object_types!`] with its `-missing` and
//! `-unexpected` codes. Every `match` on them is exhaustive, so nothing that
//! renders or routes a change can forget one.

/// Which side an object is on, or that it is on both and differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// In the expected schema, not in the actual one.
    Missing,
    /// In the actual schema, not in the expected one.
    Unexpected,
    /// On both sides, with differing attributes.
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Missing => "missing",
            ChangeKind::Unexpected => "unexpected",
            ChangeKind::Changed => "changed",
        }
    }
}

/// How much a change matters; the order is most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: &'static [Severity] = &[Severity::Error, Severity::Warning, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The severity named `name` (`error`, `warning`, `info`).
    pub fn parse(name: &str) -> Option<Severity> {
        Severity::ALL.iter().copied().find(|s| s.as_str() == name)
    }
}

/// Declares [`Code`]: each code's doc comment (its meaning), variant, name,
/// kind and default severity.
macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal, $kind:ident, $severity:ident; )+) => {
        /// A change code. Its name is a stable, public contract.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The kebab-case name, e.g. `column-type-changed`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)+ }
            }

            /// Whether a change with this code is missing, unexpected or changed.
            pub fn kind(self) -> ChangeKind {
                match self { $(Code::$variant => ChangeKind::$kind,)+ }
            }

            /// The severity of a change with this code, unless the differ
            /// knows better (a missing *unique* index is an error).
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)+ }
            }

            /// What a change with this code means.
            pub fn doc(self) -> &'static str {
                match self { $(Code::$variant => concat!($($doc),+).trim_ascii(),)+ }
            }
        }
    };
}

codes! {
    /// A schema in EXPECTED is not in ACTUAL.
    SchemaMissing = "schema-missing", Missing, Error;
    /// A schema in ACTUAL is not in EXPECTED.
    SchemaUnexpected = "schema-unexpected", Unexpected, Warning;
    /// An extension in EXPECTED is not installed in ACTUAL.
    ExtensionMissing = "extension-missing", Missing, Error;
    /// An extension is installed in ACTUAL only.
    ExtensionUnexpected = "extension-unexpected", Unexpected, Warning;
    /// An extension's version differs.
    ExtensionVersionChanged = "extension-version-changed", Changed, Warning;
    /// An extension lives in another schema.
    ExtensionSchemaChanged = "extension-schema-changed", Changed, Warning;
    /// A publication in EXPECTED is not in ACTUAL.
    PublicationMissing = "publication-missing", Missing, Error;
    /// A publication in ACTUAL is not in EXPECTED.
    PublicationUnexpected = "publication-unexpected", Unexpected, Warning;
    /// A publication publishes other tables, schemas, operations or
    /// columns, or with other options.
    PublicationChanged = "publication-changed", Changed, Warning;
    /// An event trigger in EXPECTED is not in ACTUAL.
    EventTriggerMissing = "event-trigger-missing", Missing, Error;
    /// An event trigger in ACTUAL is not in EXPECTED.
    EventTriggerUnexpected = "event-trigger-unexpected", Unexpected, Warning;
    /// An event trigger that should fire is disabled.
    EventTriggerDisabled = "event-trigger-disabled", Changed, Error;
    /// An event trigger fires in another session replication role
    /// (`ENABLE REPLICA`, `ENABLE ALWAYS`), or is enabled where it should
    /// not be.
    EventTriggerEnabledChanged = "event-trigger-enabled-changed", Changed, Warning;
    /// An event trigger's event, command tags or function differ.
    EventTriggerChanged = "event-trigger-changed", Changed, Warning;
    /// A cast (`CREATE CAST`) in EXPECTED is not in ACTUAL.
    CastMissing = "cast-missing", Missing, Error;
    /// A cast in ACTUAL is not in EXPECTED.
    CastUnexpected = "cast-unexpected", Unexpected, Warning;
    /// A cast's function, method (`WITHOUT FUNCTION`, `WITH INOUT`) or
    /// context (`AS ASSIGNMENT`, `AS IMPLICIT`) differs.
    CastChanged = "cast-changed", Changed, Warning;
    /// Default privileges (`ALTER DEFAULT PRIVILEGES`) in EXPECTED are not
    /// in ACTUAL: new objects do not get the grants they should (both
    /// sides read `--with-privileges`).
    DefaultPrivilegesMissing = "default-privileges-missing", Missing, Error;
    /// Default privileges in ACTUAL are not in EXPECTED.
    DefaultPrivilegesUnexpected = "default-privileges-unexpected", Unexpected, Warning;
    /// Default privileges grant other privileges.
    DefaultPrivilegesChanged = "default-privileges-changed", Changed, Warning;
    /// A foreign-data wrapper in EXPECTED is not in ACTUAL.
    ForeignDataWrapperMissing = "foreign-data-wrapper-missing", Missing, Error;
    /// A foreign-data wrapper in ACTUAL is not in EXPECTED.
    ForeignDataWrapperUnexpected = "foreign-data-wrapper-unexpected", Unexpected, Warning;
    /// A foreign-data wrapper's handler, validator or options differ.
    ForeignDataWrapperChanged = "foreign-data-wrapper-changed", Changed, Warning;
    /// A foreign server in EXPECTED is not in ACTUAL.
    ForeignServerMissing = "foreign-server-missing", Missing, Error;
    /// A foreign server in ACTUAL is not in EXPECTED.
    ForeignServerUnexpected = "foreign-server-unexpected", Unexpected, Warning;
    /// A foreign server's wrapper, type, version or options differ.
    ForeignServerChanged = "foreign-server-changed", Changed, Warning;
    /// A user mapping in EXPECTED is not in ACTUAL.
    UserMappingMissing = "user-mapping-missing", Missing, Error;
    /// A user mapping in ACTUAL is not in EXPECTED.
    UserMappingUnexpected = "user-mapping-unexpected", Unexpected, Warning;
    /// A user mapping's options differ.
    UserMappingChanged = "user-mapping-changed", Changed, Warning;
    /// A foreign table in EXPECTED is not in ACTUAL.
    ForeignTableMissing = "foreign-table-missing", Missing, Error;
    /// A foreign table in ACTUAL is not in EXPECTED.
    ForeignTableUnexpected = "foreign-table-unexpected", Unexpected, Warning;
    /// A foreign table's server, options or column options differ, or a
    /// table is foreign on one side only.
    ForeignTableChanged = "foreign-table-changed", Changed, Warning;
    /// An access method (`CREATE ACCESS METHOD`) in EXPECTED is not in
    /// ACTUAL.
    AccessMethodMissing = "access-method-missing", Missing, Error;
    /// An access method in ACTUAL is not in EXPECTED.
    AccessMethodUnexpected = "access-method-unexpected", Unexpected, Warning;
    /// An access method's type or handler differs (the access method of
    /// a table is `access-method-changed`).
    AccessMethodDefinitionChanged = "access-method-definition-changed", Changed, Warning;
    /// A procedural language (`CREATE LANGUAGE`) in EXPECTED is not in
    /// ACTUAL.
    LanguageMissing = "language-missing", Missing, Error;
    /// A procedural language in ACTUAL is not in EXPECTED.
    LanguageUnexpected = "language-unexpected", Unexpected, Warning;
    /// A procedural language's trust or its handler, inline or validator
    /// function differs.
    LanguageChanged = "language-changed", Changed, Warning;
    /// A transform (`CREATE TRANSFORM`) in EXPECTED is not in ACTUAL.
    TransformMissing = "transform-missing", Missing, Error;
    /// A transform in ACTUAL is not in EXPECTED.
    TransformUnexpected = "transform-unexpected", Unexpected, Warning;
    /// A transform's FROM SQL or TO SQL function differs.
    TransformChanged = "transform-changed", Changed, Warning;
    /// A subscription (`CREATE SUBSCRIPTION`) in EXPECTED is not in ACTUAL.
    SubscriptionMissing = "subscription-missing", Missing, Error;
    /// A subscription in ACTUAL is not in EXPECTED.
    SubscriptionUnexpected = "subscription-unexpected", Unexpected, Warning;
    /// A subscription that should replicate is disabled.
    SubscriptionDisabled = "subscription-disabled", Changed, Error;
    /// A subscription replicates where it should be disabled.
    SubscriptionEnabled = "subscription-enabled", Changed, Warning;
    /// A subscription's connection, publications, slot or options differ.
    SubscriptionChanged = "subscription-changed", Changed, Warning;
    /// A table in EXPECTED is not in ACTUAL.
    TableMissing = "table-missing", Missing, Error;
    /// A table in ACTUAL is not in EXPECTED.
    TableUnexpected = "table-unexpected", Unexpected, Warning;
    /// A table is logged on one side and unlogged on the other.
    TablePersistenceChanged = "table-persistence-changed", Changed, Warning;
    /// A table inherits from other parents.
    TableInheritsChanged = "table-inherits-changed", Changed, Warning;
    /// A table is typed (`CREATE TABLE t OF type`) by another composite
    /// type, or on one side only.
    TableOfChanged = "table-of-changed", Changed, Warning;
    /// A table's or materialized view's access method (`USING`) differs.
    AccessMethodChanged = "access-method-changed", Changed, Warning;
    /// A table's `CLUSTER ON` index differs.
    TableClusterChanged = "table-cluster-changed", Changed, Info;
    /// A materialized view's `CLUSTER ON` index differs.
    MaterializedViewClusterChanged = "materialized-view-cluster-changed", Changed, Info;
    /// A table's `REPLICA IDENTITY` differs (what logical replication
    /// sends of an updated or deleted row).
    TableReplicaIdentityChanged = "table-replica-identity-changed", Changed, Warning;
    /// A partitioned table's partition key differs.
    PartitionKeyChanged = "partition-key-changed", Changed, Warning;
    /// A partition has another parent or bound, or is a partition on one side only.
    PartitionOfChanged = "partition-of-changed", Changed, Warning;
    /// Row-level security is on in EXPECTED and off in ACTUAL.
    RlsDisabled = "rls-disabled", Changed, Error;
    /// Row-level security is off in EXPECTED and on in ACTUAL.
    RlsEnabled = "rls-enabled", Changed, Warning;
    /// Row-level security is forced in EXPECTED and not in ACTUAL.
    RlsForceDisabled = "rls-force-disabled", Changed, Error;
    /// Row-level security is forced in ACTUAL and not in EXPECTED.
    RlsForceEnabled = "rls-force-enabled", Changed, Warning;
    /// The columns both sides have are in another order.
    ColumnOrderChanged = "column-order-changed", Changed, Info;
    /// A column in EXPECTED is not in ACTUAL.
    ColumnMissing = "column-missing", Missing, Error;
    /// A column in ACTUAL is not in EXPECTED.
    ColumnUnexpected = "column-unexpected", Unexpected, Warning;
    /// A column's type differs.
    ColumnTypeChanged = "column-type-changed", Changed, Error;
    /// A column is NOT NULL on one side only.
    ColumnNullabilityChanged = "column-nullability-changed", Changed, Error;
    /// A column's default differs.
    ColumnDefaultChanged = "column-default-changed", Changed, Warning;
    /// A column's identity (generation, sequence options) differs.
    ColumnIdentityChanged = "column-identity-changed", Changed, Warning;
    /// A generated column's expression or kind differs.
    ColumnGeneratedChanged = "column-generated-changed", Changed, Warning;
    /// A column's collation differs.
    ColumnCollationChanged = "column-collation-changed", Changed, Warning;
    /// A column's storage (`SET STORAGE`) differs.
    ColumnStorageChanged = "column-storage-changed", Changed, Info;
    /// A column's compression method (`SET COMPRESSION`) differs.
    ColumnCompressionChanged = "column-compression-changed", Changed, Info;
    /// A column's statistics target (`SET STATISTICS`) differs.
    ColumnStatisticsChanged = "column-statistics-changed", Changed, Info;
    /// A column's options (`SET (n_distinct = ...)`) differ.
    ColumnOptionsChanged = "column-options-changed", Changed, Info;
    /// A constraint in EXPECTED is not in ACTUAL.
    ConstraintMissing = "constraint-missing", Missing, Error;
    /// A constraint in ACTUAL is not in EXPECTED.
    ConstraintUnexpected = "constraint-unexpected", Unexpected, Warning;
    /// A constraint with the same meaning has another name.
    ConstraintRenamed = "constraint-renamed", Changed, Info;
    /// A constraint's kind, definition, columns or foreign key differ.
    ConstraintChanged = "constraint-changed", Changed, Error;
    /// A constraint's DEFERRABLE or INITIALLY DEFERRED differs.
    ConstraintDeferrableChanged = "constraint-deferrable-changed", Changed, Warning;
    /// A constraint is validated on one side only (NOT VALID).
    ConstraintValidationChanged = "constraint-validation-changed", Changed, Warning;
    /// A check constraint is NO INHERIT on one side only.
    ConstraintInheritanceChanged = "constraint-inheritance-changed", Changed, Warning;
    /// A Neo4j property type constraint requires another type.
    ConstraintTypeChanged = "constraint-type-changed", Changed, Error;
    /// The index provider behind a Neo4j constraint differs.
    ConstraintProviderChanged = "constraint-provider-changed", Changed, Warning;
    /// Settings of the index behind a Neo4j constraint differ.
    ConstraintOptionsChanged = "constraint-options-changed", Changed, Warning;
    /// An index in EXPECTED is not in ACTUAL.
    IndexMissing = "index-missing", Missing, Warning;
    /// An index in ACTUAL is not in EXPECTED.
    IndexUnexpected = "index-unexpected", Unexpected, Warning;
    /// An index with the same meaning has another name.
    IndexRenamed = "index-renamed", Changed, Info;
    /// An index's method, uniqueness, keys, INCLUDE or predicate differ.
    IndexChanged = "index-changed", Changed, Warning;
    /// The statistics target of an index's expression key (`ALTER INDEX ..
    /// ALTER COLUMN n SET STATISTICS`) differs.
    IndexStatisticsChanged = "index-statistics-changed", Changed, Info;
    /// A Neo4j index is BTREE on one side and RANGE on the other.
    IndexTypeChanged = "index-type-changed", Changed, Info;
    /// A Neo4j index's provider differs.
    IndexProviderChanged = "index-provider-changed", Changed, Warning;
    /// A Neo4j index's settings differ.
    IndexOptionsChanged = "index-options-changed", Changed, Warning;
    /// A trigger in EXPECTED is not in ACTUAL.
    TriggerMissing = "trigger-missing", Missing, Error;
    /// A trigger in ACTUAL is not in EXPECTED.
    TriggerUnexpected = "trigger-unexpected", Unexpected, Warning;
    /// A trigger is disabled in ACTUAL.
    TriggerDisabled = "trigger-disabled", Changed, Error;
    /// A trigger fires in another session replication role.
    TriggerEnabledChanged = "trigger-enabled-changed", Changed, Warning;
    /// A trigger's timing, events, level, function or condition differ.
    TriggerChanged = "trigger-changed", Changed, Warning;
    /// A rule (`CREATE RULE`) in EXPECTED is not in ACTUAL.
    RuleMissing = "rule-missing", Missing, Error;
    /// A rule in ACTUAL is not in EXPECTED.
    RuleUnexpected = "rule-unexpected", Unexpected, Warning;
    /// A rule's definition, or when it fires (`ENABLE`/`DISABLE RULE`), differs.
    RuleChanged = "rule-changed", Changed, Warning;
    /// An extended statistics object (`CREATE STATISTICS`) in EXPECTED is
    /// not in ACTUAL (a warning, as a missing index is: only the planner's
    /// estimates suffer).
    StatisticsMissing = "statistics-missing", Missing, Warning;
    /// An extended statistics object in ACTUAL is not in EXPECTED.
    StatisticsUnexpected = "statistics-unexpected", Unexpected, Warning;
    /// An extended statistics object's kinds, columns, expressions or schema differ.
    StatisticsChanged = "statistics-changed", Changed, Warning;
    /// An extended statistics object's target (`ALTER STATISTICS .. SET
    /// STATISTICS`) differs.
    StatisticsTargetChanged = "statistics-target-changed", Changed, Info;
    /// A row-level security policy in EXPECTED is not in ACTUAL.
    PolicyMissing = "policy-missing", Missing, Error;
    /// A policy in ACTUAL is not in EXPECTED.
    PolicyUnexpected = "policy-unexpected", Unexpected, Warning;
    /// A policy's command, roles or expressions differ.
    PolicyChanged = "policy-changed", Changed, Error;
    /// A view in EXPECTED is not in ACTUAL.
    ViewMissing = "view-missing", Missing, Error;
    /// A view in ACTUAL is not in EXPECTED.
    ViewUnexpected = "view-unexpected", Unexpected, Warning;
    /// A view's query differs.
    ViewDefinitionChanged = "view-definition-changed", Changed, Warning;
    /// A view's options (check option, security barrier, invoker) differ.
    ViewOptionsChanged = "view-options-changed", Changed, Warning;
    /// A materialized view in EXPECTED is not in ACTUAL.
    MaterializedViewMissing = "materialized-view-missing", Missing, Error;
    /// A materialized view in ACTUAL is not in EXPECTED.
    MaterializedViewUnexpected = "materialized-view-unexpected", Unexpected, Warning;
    /// A materialized view's query differs.
    MaterializedViewDefinitionChanged = "materialized-view-definition-changed", Changed, Warning;
    /// A sequence in EXPECTED is not in ACTUAL.
    SequenceMissing = "sequence-missing", Missing, Error;
    /// A sequence in ACTUAL is not in EXPECTED.
    SequenceUnexpected = "sequence-unexpected", Unexpected, Warning;
    /// The sequence a column owns has another name.
    SequenceRenamed = "sequence-renamed", Changed, Info;
    /// A sequence's options or owner column differ.
    SequenceChanged = "sequence-changed", Changed, Warning;
    /// A function or procedure in EXPECTED is not in ACTUAL.
    FunctionMissing = "function-missing", Missing, Error;
    /// A function or procedure in ACTUAL is not in EXPECTED.
    FunctionUnexpected = "function-unexpected", Unexpected, Warning;
    /// A function's body differs.
    FunctionBodyChanged = "function-body-changed", Changed, Warning;
    /// A function's signature, language or attributes differ.
    FunctionChanged = "function-changed", Changed, Warning;
    /// A function's planner hints differ: `COST`, `ROWS`, `SUPPORT`.
    FunctionPlannerChanged = "function-planner-changed", Changed, Info;
    /// An aggregate's `CREATE AGGREGATE` clauses differ (state function and
    /// type, final, combine and moving-aggregate functions, initial value,
    /// sort operator).
    AggregateChanged = "aggregate-changed", Changed, Warning;
    /// An enum type in EXPECTED is not in ACTUAL.
    EnumMissing = "enum-missing", Missing, Error;
    /// An enum type in ACTUAL is not in EXPECTED.
    EnumUnexpected = "enum-unexpected", Unexpected, Warning;
    /// An enum lost a label.
    EnumLabelMissing = "enum-label-missing", Changed, Error;
    /// An enum has a label EXPECTED does not.
    EnumLabelUnexpected = "enum-label-unexpected", Changed, Warning;
    /// An enum's common labels are in another order.
    EnumLabelsReordered = "enum-labels-reordered", Changed, Warning;
    /// A domain in EXPECTED is not in ACTUAL.
    DomainMissing = "domain-missing", Missing, Error;
    /// A domain in ACTUAL is not in EXPECTED.
    DomainUnexpected = "domain-unexpected", Unexpected, Warning;
    /// A domain's base type differs.
    DomainTypeChanged = "domain-type-changed", Changed, Error;
    /// A domain is NOT NULL on one side only.
    DomainNullabilityChanged = "domain-nullability-changed", Changed, Error;
    /// A domain's default differs.
    DomainDefaultChanged = "domain-default-changed", Changed, Warning;
    /// A domain's collation differs.
    DomainCollationChanged = "domain-collation-changed", Changed, Warning;
    /// A composite type in EXPECTED is not in ACTUAL.
    CompositeTypeMissing = "composite-type-missing", Missing, Error;
    /// A composite type in ACTUAL is not in EXPECTED.
    CompositeTypeUnexpected = "composite-type-unexpected", Unexpected, Warning;
    /// A composite type's attributes or their order differ.
    CompositeTypeChanged = "composite-type-changed", Changed, Warning;
    /// A range type (`CREATE TYPE .. AS RANGE`) in EXPECTED is not in ACTUAL.
    RangeTypeMissing = "range-type-missing", Missing, Error;
    /// A range type in ACTUAL is not in EXPECTED.
    RangeTypeUnexpected = "range-type-unexpected", Unexpected, Warning;
    /// A range type's subtype, operator class, collation, functions or
    /// multirange type differ.
    RangeTypeChanged = "range-type-changed", Changed, Warning;
    /// A base type (`CREATE TYPE .. (INPUT = .., OUTPUT = ..)`) in EXPECTED
    /// is not in ACTUAL.
    BaseTypeMissing = "base-type-missing", Missing, Error;
    /// A base type in ACTUAL is not in EXPECTED.
    BaseTypeUnexpected = "base-type-unexpected", Unexpected, Warning;
    /// A base type's functions, length, alignment, storage or other
    /// properties differ.
    BaseTypeChanged = "base-type-changed", Changed, Warning;
    /// A shell type never completed (`CREATE TYPE name;`) in EXPECTED is
    /// not in ACTUAL.
    ShellTypeMissing = "shell-type-missing", Missing, Warning;
    /// A shell type in ACTUAL is not in EXPECTED.
    ShellTypeUnexpected = "shell-type-unexpected", Unexpected, Warning;
    /// A collation (`CREATE COLLATION`) in EXPECTED is not in ACTUAL.
    CollationMissing = "collation-missing", Missing, Error;
    /// A collation in ACTUAL is not in EXPECTED.
    CollationUnexpected = "collation-unexpected", Unexpected, Warning;
    /// A collation's provider, locale, determinism or ICU rules differ.
    CollationChanged = "collation-changed", Changed, Warning;
    /// An operator (`CREATE OPERATOR`) in EXPECTED is not in ACTUAL.
    OperatorMissing = "operator-missing", Missing, Error;
    /// An operator in ACTUAL is not in EXPECTED.
    OperatorUnexpected = "operator-unexpected", Unexpected, Warning;
    /// An operator's function, commutator, negator, estimators or HASHES/MERGES differ.
    OperatorChanged = "operator-changed", Changed, Warning;
    /// A text search configuration in EXPECTED is not in ACTUAL.
    TextSearchConfigurationMissing = "text-search-configuration-missing", Missing, Error;
    /// A text search configuration in ACTUAL is not in EXPECTED.
    TextSearchConfigurationUnexpected = "text-search-configuration-unexpected", Unexpected, Warning;
    /// A text search configuration's parser, or the dictionaries it maps a
    /// token type to, differ.
    TextSearchConfigurationChanged = "text-search-configuration-changed", Changed, Warning;
    /// A text search dictionary in EXPECTED is not in ACTUAL.
    TextSearchDictionaryMissing = "text-search-dictionary-missing", Missing, Error;
    /// A text search dictionary in ACTUAL is not in EXPECTED.
    TextSearchDictionaryUnexpected = "text-search-dictionary-unexpected", Unexpected, Warning;
    /// A text search dictionary's template or options differ.
    TextSearchDictionaryChanged = "text-search-dictionary-changed", Changed, Warning;
    /// A text search parser in EXPECTED is not in ACTUAL.
    TextSearchParserMissing = "text-search-parser-missing", Missing, Error;
    /// A text search parser in ACTUAL is not in EXPECTED.
    TextSearchParserUnexpected = "text-search-parser-unexpected", Unexpected, Warning;
    /// A text search parser's functions differ.
    TextSearchParserChanged = "text-search-parser-changed", Changed, Warning;
    /// A text search template in EXPECTED is not in ACTUAL.
    TextSearchTemplateMissing = "text-search-template-missing", Missing, Error;
    /// A text search template in ACTUAL is not in EXPECTED.
    TextSearchTemplateUnexpected = "text-search-template-unexpected", Unexpected, Warning;
    /// A text search template's functions differ.
    TextSearchTemplateChanged = "text-search-template-changed", Changed, Warning;
    /// An operator family (`CREATE OPERATOR FAMILY`) in EXPECTED is not in ACTUAL.
    OperatorFamilyMissing = "operator-family-missing", Missing, Error;
    /// An operator family in ACTUAL is not in EXPECTED.
    OperatorFamilyUnexpected = "operator-family-unexpected", Unexpected, Warning;
    /// The members an operator family holds itself (`ALTER OPERATOR FAMILY .. ADD`) differ.
    OperatorFamilyChanged = "operator-family-changed", Changed, Warning;
    /// An operator class (`CREATE OPERATOR CLASS`) in EXPECTED is not in ACTUAL.
    OperatorClassMissing = "operator-class-missing", Missing, Error;
    /// An operator class in ACTUAL is not in EXPECTED.
    OperatorClassUnexpected = "operator-class-unexpected", Unexpected, Warning;
    /// An operator class's type, DEFAULT, STORAGE, family or members differ.
    OperatorClassChanged = "operator-class-changed", Changed, Warning;
    /// A conversion (`CREATE CONVERSION`) in EXPECTED is not in ACTUAL.
    ConversionMissing = "conversion-missing", Missing, Error;
    /// A conversion in ACTUAL is not in EXPECTED.
    ConversionUnexpected = "conversion-unexpected", Unexpected, Warning;
    /// A conversion's encodings, function or DEFAULT differ.
    ConversionChanged = "conversion-changed", Changed, Warning;
    /// Storage parameters (`WITH (...)`) of a table, index or materialized view differ.
    StorageParametersChanged = "storage-parameters-changed", Changed, Warning;
    /// A comment differs.
    CommentChanged = "comment-changed", Changed, Info;
    /// A security label (`SECURITY LABEL FOR provider ON ...`) in EXPECTED
    /// is not in ACTUAL: the provider (PostgreSQL Anonymizer's masking
    /// rule, pgsodium's encryption, SELinux's context) does not treat the
    /// object as it should.
    SecurityLabelMissing = "security-label-missing", Missing, Warning;
    /// A security label in ACTUAL is not in EXPECTED.
    SecurityLabelUnexpected = "security-label-unexpected", Unexpected, Warning;
    /// A security label differs.
    SecurityLabelChanged = "security-label-changed", Changed, Warning;
    /// The owner or grants of an object, or a column's grants, differ (both
    /// sides read `--with-privileges`).
    PrivilegesChanged = "privileges-changed", Changed, Warning;
    /// An applied migration's file no longer has the checksum its tool recorded.
    MigrationEdited = "migration-edited", Changed, Error;
    /// A migration started and did not finish (dirty, `success = false`, unfinished or rolled back).
    MigrationFailed = "migration-failed", Changed, Error;
    /// The history table records a migration the folder does not have.
    MigrationUnknown = "migration-unknown", Changed, Warning;
    /// Migrations in the folder are not applied yet (only with `alert_on_pending`).
    MigrationPending = "migration-pending", Changed, Info;
}

/// Declares [`ObjectType`]: each type's doc comment, variant, name, and its
/// codes for a missing and an unexpected object.
macro_rules! object_types {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal $(, $missing:ident, $unexpected:ident)?; )+) => {
        /// What kind of object a change is about.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ObjectType {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl ObjectType {
            /// Every object type, in declaration order.
            pub const ALL: &'static [ObjectType] = &[$(ObjectType::$variant),+];

            /// The name in reports and `type:` ignore rules, e.g. `materialized_view`.
            pub fn name(self) -> &'static str {
                match self { $(ObjectType::$variant => $name,)+ }
            }

            /// The code of an object of this type that ACTUAL lacks; `None` for a
            /// type that is never missing or unexpected (a migration).
            pub fn missing(self) -> Option<Code> {
                match self { $(ObjectType::$variant => None $(.or(Some(Code::$missing)))?,)+ }
            }

            /// The code of an object of this type that EXPECTED lacks.
            pub fn unexpected(self) -> Option<Code> {
                match self { $(ObjectType::$variant => None $(.or(Some(Code::$unexpected)))?,)+ }
            }

            /// What the type covers.
            pub fn doc(self) -> &'static str {
                match self { $(ObjectType::$variant => concat!($($doc),+).trim_ascii(),)+ }
            }
        }
    };
}

object_types! {
    /// A PostgreSQL schema (namespace).
    Schema = "schema", SchemaMissing, SchemaUnexpected;
    /// A PostgreSQL extension.
    Extension = "extension", ExtensionMissing, ExtensionUnexpected;
    /// A publication for logical replication.
    Publication = "publication", PublicationMissing, PublicationUnexpected;
    /// An event trigger.
    EventTrigger = "event_trigger", EventTriggerMissing, EventTriggerUnexpected;
    /// A cast between two types.
    Cast = "cast", CastMissing, CastUnexpected;
    /// The privileges a role's new objects get (`ALTER DEFAULT PRIVILEGES`),
    /// database-wide or in a schema.
    DefaultPrivileges = "default_privileges", DefaultPrivilegesMissing, DefaultPrivilegesUnexpected;
    /// A foreign-data wrapper.
    ForeignDataWrapper = "foreign_data_wrapper", ForeignDataWrapperMissing, ForeignDataWrapperUnexpected;
    /// A foreign server.
    ForeignServer = "foreign_server", ForeignServerMissing, ForeignServerUnexpected;
    /// A user mapping of a foreign server.
    UserMapping = "user_mapping", UserMappingMissing, UserMappingUnexpected;
    /// An access method (`CREATE ACCESS METHOD`).
    AccessMethod = "access_method", AccessMethodMissing, AccessMethodUnexpected;
    /// A procedural language (`CREATE LANGUAGE`).
    Language = "language", LanguageMissing, LanguageUnexpected;
    /// A transform (`CREATE TRANSFORM`).
    Transform = "transform", TransformMissing, TransformUnexpected;
    /// A subscription for logical replication.
    Subscription = "subscription", SubscriptionMissing, SubscriptionUnexpected;
    /// A table, partitioned table or partition.
    Table = "table", TableMissing, TableUnexpected;
    /// A foreign table (`CREATE FOREIGN TABLE`), a partition too. Its
    /// columns, constraints, triggers and statistics are a table's.
    ForeignTable = "foreign_table", ForeignTableMissing, ForeignTableUnexpected;
    /// A table's column (or, for comments, a view's).
    Column = "column", ColumnMissing, ColumnUnexpected;
    /// A table's or domain's constraint, or a Neo4j constraint.
    Constraint = "constraint", ConstraintMissing, ConstraintUnexpected;
    /// An index of a table or materialized view, or a Neo4j index.
    Index = "index", IndexMissing, IndexUnexpected;
    /// A trigger on a table or view.
    Trigger = "trigger", TriggerMissing, TriggerUnexpected;
    /// A rule on a table or view.
    Rule = "rule", RuleMissing, RuleUnexpected;
    /// An extended statistics object (`CREATE STATISTICS`) on a table.
    Statistics = "statistics", StatisticsMissing, StatisticsUnexpected;
    /// A row-level security policy.
    Policy = "policy", PolicyMissing, PolicyUnexpected;
    /// A view.
    View = "view", ViewMissing, ViewUnexpected;
    /// A materialized view.
    MaterializedView = "materialized_view", MaterializedViewMissing, MaterializedViewUnexpected;
    /// A standalone sequence.
    Sequence = "sequence", SequenceMissing, SequenceUnexpected;
    /// A function or procedure.
    Function = "function", FunctionMissing, FunctionUnexpected;
    /// An enum type.
    Enum = "enum", EnumMissing, EnumUnexpected;
    /// A domain.
    Domain = "domain", DomainMissing, DomainUnexpected;
    /// A composite type.
    CompositeType = "composite_type", CompositeTypeMissing, CompositeTypeUnexpected;
    /// A range type (`CREATE TYPE .. AS RANGE`), with its multirange type.
    RangeType = "range_type", RangeTypeMissing, RangeTypeUnexpected;
    /// A base type (`CREATE TYPE .. (INPUT = .., OUTPUT = ..)`).
    BaseType = "base_type", BaseTypeMissing, BaseTypeUnexpected;
    /// A shell type never completed (`CREATE TYPE name;`).
    ShellType = "shell_type", ShellTypeMissing, ShellTypeUnexpected;
    /// A collation (`CREATE COLLATION`).
    Collation = "collation", CollationMissing, CollationUnexpected;
    /// An operator (`CREATE OPERATOR`), `schema.name(left, right)`.
    Operator = "operator", OperatorMissing, OperatorUnexpected;
    /// A text search configuration (`CREATE TEXT SEARCH CONFIGURATION`).
    TextSearchConfiguration = "text_search_configuration", TextSearchConfigurationMissing,
        TextSearchConfigurationUnexpected;
    /// A text search dictionary (`CREATE TEXT SEARCH DICTIONARY`).
    TextSearchDictionary = "text_search_dictionary", TextSearchDictionaryMissing,
        TextSearchDictionaryUnexpected;
    /// A text search parser (`CREATE TEXT SEARCH PARSER`).
    TextSearchParser = "text_search_parser", TextSearchParserMissing, TextSearchParserUnexpected;
    /// A text search template (`CREATE TEXT SEARCH TEMPLATE`).
    TextSearchTemplate = "text_search_template", TextSearchTemplateMissing,
        TextSearchTemplateUnexpected;
    /// An operator family, `schema.name USING method`.
    OperatorFamily = "operator_family", OperatorFamilyMissing, OperatorFamilyUnexpected;
    /// An operator class, `schema.name USING method`.
    OperatorClass = "operator_class", OperatorClassMissing, OperatorClassUnexpected;
    /// A conversion between encodings (`CREATE CONVERSION`).
    Conversion = "conversion", ConversionMissing, ConversionUnexpected;
    /// A security label of an object for one provider, `TABLE app.t FOR
    /// anon`: the object as `SECURITY LABEL .. ON` names it, then the
    /// provider.
    SecurityLabel = "security_label", SecurityLabelMissing, SecurityLabelUnexpected;
    /// A migration in the target's history table: edited, failed or unknown (its version is the
    /// object). Never missing or unexpected: a migration not applied is pending, not drift.
    Migration = "migration";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_missing_codes_fit_their_types() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len(), "a code name is used twice");
        for c in Code::ALL {
            let n = c.name();
            assert!(
                n.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{n}"
            );
            assert!(!c.doc().is_empty(), "{n}");
            let suffix = match c.kind() {
                ChangeKind::Missing => "-missing",
                ChangeKind::Unexpected => "-unexpected",
                ChangeKind::Changed => "",
            };
            assert!(n.ends_with(suffix), "{n} is {:?}", c.kind());
        }
        for t in ObjectType::ALL {
            let (Some(missing), Some(unexpected)) = (t.missing(), t.unexpected()) else {
                assert_eq!(*t, ObjectType::Migration, "{t:?} has no missing code");
                continue;
            };
            assert_eq!(missing.kind(), ChangeKind::Missing, "{t:?}");
            assert_eq!(unexpected.kind(), ChangeKind::Unexpected, "{t:?}");
            let prefix = t.name().replace('_', "-");
            assert_eq!(missing.name(), format!("{prefix}-missing"));
            assert_eq!(unexpected.name(), format!("{prefix}-unexpected"));
            assert_eq!(unexpected.severity(), Severity::Warning);
        }
    }
}

//! One difference between two snapshots, built so that it is always whole:
//! a missing or unexpected object carries its definition (the model object
//! itself, which a renderer can turn back into DDL), a changed one its
//! differing fields, and never the other; its code always fits its kind.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::vocabulary::{ChangeKind, Code, ObjectType, Severity};
use crate::model::neo4j::{Neo4jConstraint, Neo4jIndex};
use crate::model::postgres::{
    AccessMethod, BaseType, Cast, Collation, Column, CompositeType, Constraint, Conversion,
    DefaultPrivileges, Domain, Enum, EventTrigger, Extension, ForeignDataWrapper, ForeignServer,
    Function, Index, Language, MaterializedView, Operator, OperatorClass, OperatorFamily, Policy,
    Publication, RangeType, Rule, Schema, Sequence, ShellType, Statistics, Subscription, Table,
    TextSearchConfiguration, TextSearchDictionary, TextSearchParser, TextSearchTemplate, Transform,
    Trigger, UserMapping, View,
};

/// One difference between two snapshots.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    code: Code,
    object_type: ObjectType,
    object: String,
    severity: Severity,
    difference: Difference,
    /// The migration that created or last altered the object, when known.
    migration: Option<Provenance>,
}

/// Where an object comes from: the migration file, and the line of the
/// statement, that created or last altered it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Provenance {
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl std::fmt::Display for Provenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}", self.file),
            None => f.write_str(&self.file),
        }
    }
}

/// What differs: a whole object on one side only, or some of its fields.
#[derive(Debug, Clone, PartialEq)]
pub enum Difference {
    /// In EXPECTED, not in ACTUAL: the expected object.
    Missing { definition: Definition },
    /// In ACTUAL, not in EXPECTED: the actual object.
    Unexpected { definition: Definition },
    /// On both sides: each differing attribute.
    Changed { fields: Vec<FieldChange> },
}

impl Change {
    /// An object of `object_type` that ACTUAL lacks, at its code's severity.
    pub fn missing(object_type: ObjectType, object: String, definition: Definition) -> Change {
        Change::new(
            object_type
                .missing()
                .unwrap_or_else(|| panic!("a {} is never missing", object_type.name())),
            object_type,
            object,
            Difference::Missing { definition },
        )
    }

    /// An object of `object_type` that EXPECTED lacks.
    pub fn unexpected(object_type: ObjectType, object: String, definition: Definition) -> Change {
        Change::new(
            object_type
                .unexpected()
                .unwrap_or_else(|| panic!("a {} is never unexpected", object_type.name())),
            object_type,
            object,
            Difference::Unexpected { definition },
        )
    }

    /// An object on both sides whose `fields` differ, reported as `code`.
    pub fn changed(
        code: Code,
        object_type: ObjectType,
        object: String,
        fields: Vec<FieldChange>,
    ) -> Change {
        Change::new(code, object_type, object, Difference::Changed { fields })
    }

    fn new(code: Code, object_type: ObjectType, object: String, difference: Difference) -> Change {
        let kind = match difference {
            Difference::Missing { .. } => ChangeKind::Missing,
            Difference::Unexpected { .. } => ChangeKind::Unexpected,
            Difference::Changed { .. } => ChangeKind::Changed,
        };
        assert_eq!(code.kind(), kind, "{} is not a {kind:?} code", code.name());
        Change {
            code,
            object_type,
            object,
            severity: code.severity(),
            difference,
            migration: None,
        }
    }

    /// The same change about another object (for tests of renderers).
    #[cfg(test)]
    pub(crate) fn with_object(mut self, object: &str) -> Change {
        self.object = object.to_string();
        self
    }

    /// The same change at another severity than its code's.
    pub fn with_severity(mut self, severity: Severity) -> Change {
        self.severity = severity;
        self
    }

    /// Name the migration the object comes from.
    pub fn set_migration(&mut self, p: Provenance) {
        self.migration = Some(p);
    }

    /// The migration that created or last altered the object, when known.
    pub fn migration(&self) -> Option<&Provenance> {
        self.migration.as_ref()
    }

    pub fn code(&self) -> Code {
        self.code
    }

    pub fn kind(&self) -> ChangeKind {
        self.code.kind()
    }

    pub fn object_type(&self) -> ObjectType {
        self.object_type
    }

    /// Qualified name: `care.patients`, `care.patients.email`, `care.add(integer, integer)`.
    pub fn object(&self) -> &str {
        &self.object
    }

    pub fn severity(&self) -> Severity {
        self.severity
    }

    pub fn difference(&self) -> &Difference {
        &self.difference
    }

    /// The differing fields of a changed object; none for the others.
    pub fn fields(&self) -> &[FieldChange] {
        match &self.difference {
            Difference::Changed { fields } => fields,
            _ => &[],
        }
    }

    /// The object a missing or unexpected change is about.
    pub fn definition(&self) -> Option<&Definition> {
        match &self.difference {
            Difference::Missing { definition } | Difference::Unexpected { definition } => {
                Some(definition)
            }
            Difference::Changed { .. } => None,
        }
    }
}

/// One attribute that differs, with its value on each side (`null` when absent).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    /// The attribute, dotted for nested ones (`identity.sequence.increment`).
    pub field: String,
    pub expected: Value,
    pub actual: Value,
}

/// A whole object on one side only: the model object itself, with what goes
/// with it when it is dropped. Serialized, it is the object as a snapshot
/// holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Definition {
    Schema(Box<Schema>),
    Extension(Box<Extension>),
    Publication(Box<Publication>),
    EventTrigger(Box<EventTrigger>),
    Cast(Box<Cast>),
    DefaultPrivileges(Box<DefaultPrivileges>),
    ForeignDataWrapper(Box<ForeignDataWrapper>),
    ForeignServer(Box<ForeignServer>),
    UserMapping(Box<UserMapping>),
    Subscription(Box<Subscription>),
    AccessMethod(Box<AccessMethod>),
    Language(Box<Language>),
    Transform(Box<Transform>),
    Table(Box<TableDefinition>),
    Column(Box<ColumnDefinition>),
    Constraint(Box<Constraint>),
    /// A domain's check constraint: its `pg_get_constraintdef` text.
    DomainConstraint(String),
    Index(Box<Index>),
    Trigger(Box<Trigger>),
    Rule(Box<Rule>),
    Statistics(Box<Statistics>),
    Policy(Box<Policy>),
    View(Box<View>),
    MaterializedView(Box<MaterializedView>),
    Sequence(Box<Sequence>),
    Function(Box<Function>),
    Enum(Box<Enum>),
    Domain(Box<Domain>),
    CompositeType(Box<CompositeType>),
    RangeType(Box<RangeType>),
    BaseType(Box<BaseType>),
    ShellType(Box<ShellType>),
    Collation(Box<Collation>),
    Operator(Box<Operator>),
    TextSearchConfiguration(Box<TextSearchConfiguration>),
    TextSearchDictionary(Box<TextSearchDictionary>),
    TextSearchParser(Box<TextSearchParser>),
    TextSearchTemplate(Box<TextSearchTemplate>),
    OperatorFamily(Box<OperatorFamily>),
    OperatorClass(Box<OperatorClass>),
    Conversion(Box<Conversion>),
    SecurityLabel(Box<SecurityLabelDefinition>),
    Neo4jConstraint(Box<Neo4jConstraint>),
    Neo4jIndex(Box<Neo4jIndex>),
}

impl Definition {
    /// The definition as JSON, as reports show it.
    pub fn to_value(&self) -> Value {
        to_value(self)
    }
}

/// A security label with where it is: what the patcher needs to put it
/// back in its schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecurityLabelDefinition {
    /// The schema of the labelled object; none for an object of the
    /// database (a language, an event trigger, a publication, a
    /// subscription).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The object as `SECURITY LABEL .. ON` names it: `TABLE app.t`.
    pub target: String,
    pub provider: String,
    pub label: String,
}

/// A table with what goes with it when it is dropped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableDefinition {
    #[serde(flatten)]
    pub table: Table,
    /// The sequences its columns own (as `serial` makes them) that the
    /// other side lacks, by qualified name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub owned_sequences: BTreeMap<String, Sequence>,
    /// Its partitions that the other side lacks, by qualified name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub partitions: BTreeMap<String, TableDefinition>,
}

/// A column with the sequences it owns that the other side lacks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnDefinition {
    #[serde(flatten)]
    pub column: Column,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub owned_sequences: BTreeMap<String, Sequence>,
    /// Its place (1-based) among its table's columns on its side, when it is
    /// not the last one: `ADD COLUMN` puts a column last, so only a column
    /// elsewhere needs saying where (the patcher puts it back there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
}

/// Serialize a model value for a report; model values always serialize.
pub fn to_value<T: Serialize + ?Sized>(v: &T) -> Value {
    serde_json::to_value(v).expect("model values serialize")
}

/// Collects the differing fields of one object.
#[derive(Debug, Default)]
pub struct Fields(pub Vec<FieldChange>);

impl Fields {
    pub fn new() -> Fields {
        Fields(Vec::new())
    }

    /// Record `field` when the two values differ.
    pub fn cmp<T: Serialize + PartialEq + ?Sized>(
        &mut self,
        field: &str,
        expected: &T,
        actual: &T,
    ) {
        if expected != actual {
            self.0.push(FieldChange {
                field: field.to_string(),
                expected: to_value(expected),
                actual: to_value(actual),
            });
        }
    }

    /// Record `field` with values already made.
    pub fn push(&mut self, field: String, expected: Value, actual: Value) {
        self.0.push(FieldChange {
            field,
            expected,
            actual,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The changes an engine's differ finds, as it finds them (unsorted).
#[derive(Debug, Default)]
pub struct Changes(pub Vec<Change>);

impl Changes {
    pub fn missing(&mut self, object_type: ObjectType, object: &str, definition: Definition) {
        self.0
            .push(Change::missing(object_type, object.to_string(), definition));
    }

    pub fn unexpected(&mut self, object_type: ObjectType, object: &str, definition: Definition) {
        self.0.push(Change::unexpected(
            object_type,
            object.to_string(),
            definition,
        ));
    }

    /// Compare with `compare`, and report what it records as one `code`
    /// change (none when nothing differs), at the code's severity.
    pub fn changed(
        &mut self,
        code: Code,
        object_type: ObjectType,
        object: &str,
        compare: impl FnOnce(&mut Fields),
    ) {
        self.changed_as(code, object_type, object, code.severity(), compare);
    }

    /// [`Changes::changed`] at another severity than the code's.
    pub fn changed_as(
        &mut self,
        code: Code,
        object_type: ObjectType,
        object: &str,
        severity: Severity,
        compare: impl FnOnce(&mut Fields),
    ) {
        let mut f = Fields::new();
        compare(&mut f);
        if !f.is_empty() {
            let c = Change::changed(code, object_type, object.to_string(), f.0);
            self.0.push(c.with_severity(severity));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "is not a Changed code")]
    fn a_code_must_fit_its_kind() {
        Change::changed(Code::TableMissing, ObjectType::Table, "s.t".into(), vec![]);
    }

    #[test]
    fn a_table_definition_is_the_table_with_what_goes_with_it() {
        let seq = Sequence {
            data_type: "integer".into(),
            start: 1,
            increment: 1,
            min_value: 1,
            max_value: 2147483647,
            cache: 1,
            cycle: false,
            owned_by: Some("s.t.id".into()),
            comment: None,
            privileges: Default::default(),
        };
        let d = Definition::Table(Box::new(TableDefinition {
            table: Table::default(),
            owned_sequences: [("s.t_id_seq".to_string(), seq.clone())].into(),
            partitions: BTreeMap::new(),
        }));
        let mut want = to_value(&Table::default());
        want.as_object_mut().unwrap().insert(
            "owned_sequences".into(),
            serde_json::json!({ "s.t_id_seq": to_value(&seq) }),
        );
        assert_eq!(d.to_value(), want);
    }
}

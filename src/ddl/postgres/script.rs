//! A whole schema as one creation script, in dependency order.
//!
//! The script is made of [`Step`]s: a few statements that create one
//! object, with the keys it provides and the keys it requires. What an
//! object requires is read from its texts ([`super::refs`]): the types of
//! its columns, the sequences and functions its defaults call, the
//! relations a view reads. [`order`] sorts the steps topologically; among
//! the steps that are ready, the one of the earliest phase goes first, as
//! `pg_dump` orders its sections (schemas, extensions, types, functions,
//! sequences, tables, constraints, indexes, foreign keys, views,
//! triggers, policies), so the script reads in a familiar order and only
//! a real dependency moves a step later.
//!
//! Like `pg_dump`, every partition and inheritance child is created as a
//! table of its own and attached (or inherits) once both tables have their
//! constraints and indexes: PostgreSQL then matches the parent's indexes
//! and foreign keys to the child's instead of making new ones. A foreign
//! key to a partitioned table comes after its partitions are attached, as
//! in `pg_dump`'s post-data section. What PostgreSQL makes by itself is
//! not written: a partition's copy of its parent's row trigger, and the
//! foreign keys it derives for each partition of a referenced partitioned
//! table.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashSet};

use super::{
    access_method, cast, collation, constraint, conversion, event_trigger, foreign, function,
    index, language, opclass, operator, policy, privileges, publication, refs, rule, schema,
    sequence, statistics, subscription, table, text_search, transform, trigger, types, view, Name,
    Pg,
};
use crate::ddl::{Statement, Unsupported};
use crate::model::postgres::{
    ConstraintKind, PgSchema, RangeType, Schema, Statistics, Table, Transform,
};

/// What a step provides and what another requires.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Schema(String),
    /// Every extension: objects may use an extension's types and
    /// functions, which the model leaves out.
    Extensions,
    /// A relation, type, sequence, or every function of that name.
    Object(String, String),
    /// The shell of a base type (`CREATE TYPE name;`): what its I/O
    /// functions need before the type is defined.
    Shell(String, String),
    /// A table's keys (primary key, unique constraints and indexes): what a
    /// foreign key to the table needs.
    Keys(String, String),
    /// Everything on a table but its foreign keys: its other constraints
    /// and its indexes.
    Parts(String, String),
    /// Every partition of a partitioned table attached.
    Partitions(String, String),
    /// One trigger of a table.
    Trigger(String, String, String),
    /// A partition attached to its parent (which clones the parent's row
    /// triggers onto it).
    Attached(String, String),
    /// A foreign-data wrapper.
    ForeignDataWrapper(String),
    /// A foreign server.
    ForeignServer(String),
    /// A procedural language.
    Language(String),
    /// A transform, by the model's key.
    Transform(String),
}

/// Where a step goes when nothing else decides: `pg_dump`'s order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    Schema,
    Extension,
    Collation,
    Type,
    /// After its handler functions (by their keys), before the functions
    /// written in it.
    Language,
    Function,
    /// After its type, language and functions, before the functions that
    /// name it in `TRANSFORM FOR TYPE`.
    Transform,
    AccessMethod,
    Operator,
    OperatorFamily,
    OperatorClass,
    Conversion,
    Cast,
    TextSearch,
    ForeignDataWrapper,
    ForeignServer,
    Sequence,
    Table,
    Constraint,
    Index,
    ForeignKey,
    Attach,
    OwnedBy,
    View,
    ViewIndex,
    Trigger,
    Policy,
    Publication,
    Subscription,
    EventTrigger,
    /// Last, as `pg_dump` has them: they would change the objects made
    /// after them.
    DefaultPrivileges,
}

/// A few statements that belong together, with what they need before them.
#[derive(Debug, Clone)]
pub struct Step {
    pub phase: Phase,
    /// Ties between steps of one phase are broken by this, so the script is
    /// the same every time.
    pub label: String,
    pub statements: Vec<Statement>,
    pub provides: Vec<Key>,
    pub requires: Vec<Key>,
}

/// A creation script and what could not be written into it.
#[derive(Debug, Clone, Default)]
pub struct Script {
    pub statements: Vec<Statement>,
    /// Objects left out (a C function or an aggregate of an old snapshot), and steps caught in
    /// a dependency cycle (written anyway, in phase order).
    pub unsupported: Vec<Unsupported>,
}

impl Script {
    /// The statements as a script's text, one per paragraph.
    pub fn to_sql(&self) -> String {
        let mut s = String::new();
        for st in &self.statements {
            s.push_str(&st.to_string());
            s.push_str("\n\n");
        }
        s
    }
}

/// Sort `steps` so that each comes after every step providing a key it
/// requires; among those ready, by phase then label. Steps in a cycle are
/// returned second, in phase order.
pub fn order(steps: Vec<Step>) -> (Vec<Step>, Vec<Step>) {
    let mut providers: BTreeMap<&Key, Vec<usize>> = BTreeMap::new();
    for (i, s) in steps.iter().enumerate() {
        for k in &s.provides {
            providers.entry(k).or_default().push(i);
        }
    }
    let n = steps.len();
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting = vec![0usize; n];
    for (i, s) in steps.iter().enumerate() {
        let mut deps = BTreeSet::new();
        for k in &s.requires {
            for &p in providers.get(k).map(Vec::as_slice).unwrap_or(&[]) {
                if p != i {
                    deps.insert(p);
                }
            }
        }
        waiting[i] = deps.len();
        for p in deps {
            after[p].push(i);
        }
    }
    let mut ready: BinaryHeap<Reverse<(Phase, &str, usize)>> = steps
        .iter()
        .enumerate()
        .filter(|(i, _)| waiting[*i] == 0)
        .map(|(i, s)| Reverse((s.phase, s.label.as_str(), i)))
        .collect();
    let mut done = vec![false; n];
    let mut sorted = Vec::with_capacity(n);
    while let Some(Reverse((_, _, i))) = ready.pop() {
        done[i] = true;
        sorted.push(i);
        for &j in &after[i] {
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push(Reverse((steps[j].phase, steps[j].label.as_str(), j)));
            }
        }
    }
    let mut stuck: Vec<usize> = (0..n).filter(|i| !done[*i]).collect();
    stuck.sort_by(|a, b| {
        (steps[*a].phase, &steps[*a].label).cmp(&(steps[*b].phase, &steps[*b].label))
    });
    let mut slots: Vec<Option<Step>> = steps.into_iter().map(Some).collect();
    let take = |v: Vec<usize>, slots: &mut Vec<Option<Step>>| -> Vec<Step> {
        v.into_iter().filter_map(|i| slots[i].take()).collect()
    };
    let first = take(sorted, &mut slots);
    let second = take(stuck, &mut slots);
    (first, second)
}

/// The statements that set a session up for a creation script, as
/// `pg_dump` does: no function body is checked (a function may come before
/// what its body reads), an empty `search_path` (every name in the model is
/// qualified), no notices.
pub fn preamble() -> Vec<Statement> {
    vec![
        Statement::new("SET check_function_bodies = false"),
        Statement::new("SET client_min_messages = warning"),
        Statement::new("SELECT pg_catalog.set_config('search_path', '', false)"),
    ]
}

/// Everything in `schema` as one creation script, for a database that
/// already holds the schemas and extensions of `existing` (a new database
/// has `public` and `plpgsql`): those are altered to match, or dropped
/// when `schema` does not have them. Only the schemas and extensions of
/// `existing` are looked at.
pub fn create_script(r: &Pg, schema: &PgSchema, existing: &PgSchema) -> Script {
    let mut s = create_objects(r, schema, schema, existing);
    s.statements.splice(0..0, preamble());
    // Security labels last, once every object they label is there.
    s.statements
        .extend(super::security_label::create_all(&schema.security_labels));
    for x in schema.schemas.values() {
        s.statements
            .extend(super::security_label::create_all(&x.security_labels));
    }
    s
}

/// [`create_script`] for some of a schema's objects (`objects`, a part of
/// `whole`): what is in `whole` but not in `objects` (a partition's
/// parent, a referenced table) is taken to exist already, and is looked up
/// there to know what PostgreSQL makes by itself. Without the
/// [`preamble`], which the caller's script starts with.
pub fn create_objects(r: &Pg, objects: &PgSchema, whole: &PgSchema, existing: &PgSchema) -> Script {
    let mut b = Builder::new(r, objects, whole);
    b.existing(existing);
    b.schemas();
    let (sorted, stuck) = order(b.steps);
    let mut unsupported = b.unsupported;
    for s in &stuck {
        unsupported.push(Unsupported {
            object: s.label.clone(),
            reason: "caught in a dependency cycle; written in the usual order".to_string(),
        });
    }
    let mut statements = b.drops;
    statements.extend(sorted.into_iter().chain(stuck).flat_map(|s| s.statements));
    Script {
        statements,
        unsupported,
    }
}

struct Builder<'a> {
    r: &'a Pg,
    /// What to create.
    pg: &'a PgSchema,
    /// Where parents and referenced tables are looked up.
    whole: &'a PgSchema,
    /// Every object a text may name: (schema, name).
    known: HashSet<(String, String)>,
    /// Schemas and extensions already in the database.
    have_schemas: BTreeSet<String>,
    /// Shell types already in the database, which a base type completes.
    have_shells: HashSet<(String, String)>,
    /// The base types to create: (schema, name).
    bases: HashSet<(String, String)>,
    /// The I/O functions of those: (schema, name), which need only the
    /// type's shell.
    io: HashSet<(String, String)>,
    drops: Vec<Statement>,
    steps: Vec<Step>,
    unsupported: Vec<Unsupported>,
}

/// The (schema, name) of range type `sn.n`'s multirange type.
pub(super) fn multirange_of(sn: &str, n: &str, t: &RangeType) -> (String, String) {
    t.multirange_type_name
        .as_deref()
        .and_then(parse_qualified)
        .unwrap_or_else(|| (sn.to_string(), RangeType::default_multirange(n)))
}

/// The (schema, name) a qualified name as PostgreSQL printed it refers to:
/// `care.events`, `"Care"."Events"`.
fn parse_qualified(text: &str) -> Option<(String, String)> {
    refs::qualified_names(text).into_iter().next()
}

impl<'a> Builder<'a> {
    fn new(r: &'a Pg, pg: &'a PgSchema, whole: &'a PgSchema) -> Builder<'a> {
        let mut known = HashSet::new();
        let mut bases = HashSet::new();
        let mut io = HashSet::new();
        for (sn, s) in &pg.schemas {
            for (n, t) in &s.base_types {
                bases.insert((sn.clone(), n.clone()));
                io.extend(t.functions().filter_map(parse_qualified));
            }
            let names = s
                .tables
                .keys()
                .chain(s.views.keys())
                .chain(s.materialized_views.keys())
                .chain(s.sequences.keys())
                .chain(s.enums.keys())
                .chain(s.domains.keys())
                .chain(s.composite_types.keys())
                .chain(s.base_types.keys())
                .chain(s.shell_types.keys())
                .chain(s.collations.keys());
            for n in names {
                known.insert((sn.clone(), n.clone()));
            }
            for (n, t) in &s.range_types {
                known.insert((sn.clone(), n.clone()));
                known.insert(multirange_of(sn, n, t));
            }
            for k in s.functions.keys() {
                known.insert((sn.clone(), function::split_key(k).0.to_string()));
            }
            let text_search = s
                .text_search_configurations
                .keys()
                .chain(s.text_search_dictionaries.keys())
                .chain(s.text_search_parsers.keys())
                .chain(s.text_search_templates.keys());
            for n in text_search {
                known.insert((sn.clone(), n.clone()));
            }
        }
        Builder {
            r,
            pg,
            whole,
            known,
            have_schemas: BTreeSet::new(),
            have_shells: HashSet::new(),
            bases,
            io,
            drops: Vec::new(),
            steps: Vec::new(),
            unsupported: Vec::new(),
        }
    }

    /// The keys of the objects `texts` name, leaving out `own`.
    fn refs<'t>(
        &self,
        texts: impl IntoIterator<Item = &'t str>,
        own: &(String, String),
    ) -> Vec<Key> {
        let mut out = BTreeSet::new();
        for t in texts {
            for pair in refs::qualified_names(t) {
                if &pair != own && self.known.contains(&pair) {
                    out.insert(Key::Object(pair.0, pair.1));
                }
            }
        }
        out.into_iter().collect()
    }

    fn step(
        &mut self,
        phase: Phase,
        label: String,
        statements: Vec<Statement>,
        provides: Vec<Key>,
        requires: Vec<Key>,
    ) -> &mut Step {
        self.steps.push(Step {
            phase,
            label,
            statements,
            provides,
            requires,
        });
        self.steps.last_mut().expect("just pushed")
    }

    fn existing(&mut self, existing: &PgSchema) {
        let r = self.r;
        for (name, e) in &existing.extensions {
            match self.pg.extensions.get(name) {
                Some(x) => {
                    let st = schema::alter_extension(r, name, x, e).into_statements();
                    let label = format!("extension {name}");
                    let req = vec![Key::Schema(x.schema.clone())];
                    self.step(Phase::Extension, label, st, vec![Key::Extensions], req);
                }
                None => self.drops.push(schema::drop_extension(r, name)),
            }
        }
        for (name, s) in &existing.schemas {
            self.have_schemas.insert(name.clone());
            for n in s.shell_types.keys() {
                self.have_shells.insert((name.clone(), n.clone()));
            }
            match self.pg.schemas.get(name) {
                Some(x) => {
                    let st = schema::alter(r, name, x, s).into_statements();
                    self.step(
                        Phase::Schema,
                        format!("schema {name}"),
                        st,
                        vec![Key::Schema(name.clone())],
                        vec![],
                    );
                }
                None => self.drops.push(schema::drop(r, name)),
            }
        }
        for (name, x) in &self.pg.extensions {
            if !existing.extensions.contains_key(name) {
                let st = vec![schema::create_extension(r, name, x)];
                let req = vec![Key::Schema(x.schema.clone())];
                self.step(
                    Phase::Extension,
                    format!("extension {name}"),
                    st,
                    vec![Key::Extensions],
                    req,
                );
            }
        }
    }

    fn schemas(&mut self) {
        let pg = self.pg;
        for (sn, s) in &pg.schemas {
            if !self.have_schemas.contains(sn) {
                let st = schema::create(self.r, sn, s);
                self.step(
                    Phase::Schema,
                    format!("schema {sn}"),
                    st,
                    vec![Key::Schema(sn.clone())],
                    vec![],
                );
            }
            for (n, c) in &s.collations {
                let st = collation::create(self.r, Name::new(sn, n), c);
                self.object(Phase::Collation, sn, n, format!("{sn}.{n}"), st, [], false);
            }
            self.types(sn, s);
            self.range_types(sn, s);
            self.base_types(sn, s);
            self.functions(sn, s);
            self.operators(sn, s);
            self.text_search(sn, s);
            self.operator_classes(sn, s);
            for (n, c) in &s.conversions {
                let st = conversion::create(self.r, Name::new(sn, n), c);
                let texts = [c.function.as_str()];
                self.object(
                    Phase::Conversion,
                    sn,
                    n,
                    format!("{sn}.{n}"),
                    st,
                    texts,
                    false,
                );
            }
            for (n, q) in &s.sequences {
                self.sequence(sn, n, q);
            }
            for (n, t) in &s.tables {
                self.table(sn, n, t);
            }
            self.views(sn, s);
        }
        self.access_methods();
        self.languages();
        self.transforms();
        self.casts();
        self.foreign_data_wrappers();
        self.foreign_servers();
        self.publications();
        self.subscriptions();
        self.event_triggers();
        self.default_privileges();
    }

    /// Default privileges, once their schema is there (and, by phase,
    /// after every object, as `pg_dump` restores them).
    fn default_privileges(&mut self) {
        for (key, x) in &self.pg.default_privileges {
            let st = privileges::default_privileges(self.r, Some(x), None);
            let req = x.schema.iter().map(|s| Key::Schema(s.clone())).collect();
            let label = format!("default privileges {key}");
            self.step(Phase::DefaultPrivileges, label, st, vec![], req);
        }
    }

    /// Foreign servers with their user mappings, once their wrapper is
    /// there.
    fn foreign_servers(&mut self) {
        for (name, x) in &self.pg.foreign_servers {
            let st = foreign::create_server(self.r, name, x);
            let set = format!("ALTER SERVER {}", self.r.ident(name));
            let names = foreign::secrets_to_set(&x.options, None);
            let object = format!("server {name}");
            self.unsupported
                .extend(foreign::secrets_not_written(&object, &set, names));
            for (who, m) in &x.user_mappings {
                let set = format!("ALTER {}", foreign::user_mapping_target(self.r, name, who));
                let names = foreign::secrets_to_set(&m.options, None);
                let object = format!("user mapping {name}.{who}");
                self.unsupported
                    .extend(foreign::secrets_not_written(&object, &set, names));
            }
            let mut req = vec![Key::Extensions];
            if self.pg.foreign_data_wrappers.contains_key(&x.wrapper) {
                req.push(Key::ForeignDataWrapper(x.wrapper.clone()));
            }
            let provides = vec![Key::ForeignServer(name.clone())];
            let label = format!("server {name}");
            self.step(Phase::ForeignServer, label, st, provides, req);
        }
    }

    /// Foreign-data wrappers, once their handler and validator functions
    /// (or the extension that has them) are there.
    fn foreign_data_wrappers(&mut self) {
        let none = (String::new(), String::new());
        for (name, x) in &self.pg.foreign_data_wrappers {
            let st = foreign::create_wrapper(self.r, name, x);
            let object = format!("foreign-data wrapper {name}");
            let set = format!("ALTER FOREIGN DATA WRAPPER {}", self.r.ident(name));
            let names = foreign::secrets_to_set(&x.options, None);
            self.unsupported
                .extend(foreign::secrets_not_written(&object, &set, names));
            let texts = x.handler.iter().chain(&x.validator).map(String::as_str);
            let mut req = self.refs(texts, &none);
            req.push(Key::Extensions);
            let provides = vec![Key::ForeignDataWrapper(name.clone())];
            let label = format!("foreign-data wrapper {name}");
            self.step(Phase::ForeignDataWrapper, label, st, provides, req);
        }
    }

    /// Procedural languages, once their handler, inline and validator
    /// functions are there (the functions written in one wait for it).
    fn languages(&mut self) {
        let none = (String::new(), String::new());
        for (name, x) in &self.pg.languages {
            let st = language::create(self.r, name, x);
            let mut req = self.refs(x.functions(), &none);
            req.push(Key::Extensions);
            let provides = vec![Key::Language(name.clone())];
            let label = format!("language {name}");
            self.step(Phase::Language, label, st, provides, req);
        }
    }

    /// Transforms, once their type, language and functions are there (a
    /// function that names one in `TRANSFORM FOR TYPE` waits for it).
    fn transforms(&mut self) {
        let none = (String::new(), String::new());
        for (key, x) in &self.pg.transforms {
            let st = transform::create(self.r, key, x);
            let (type_name, language) = Transform::split_key(key);
            let texts = std::iter::once(type_name).chain(x.functions());
            let mut req = self.refs(texts, &none);
            req.push(Key::Extensions);
            if self.pg.languages.contains_key(language) {
                req.push(Key::Language(language.to_string()));
            }
            let provides = vec![Key::Transform(key.clone())];
            let label = format!("transform {key}");
            self.step(Phase::Transform, label, st, provides, req);
        }
    }

    /// Access methods, once their handler functions are there (and before
    /// the tables, indexes and operator classes that use them, by phase).
    fn access_methods(&mut self) {
        let none = (String::new(), String::new());
        for (name, x) in &self.pg.access_methods {
            let st = access_method::create(self.r, name, x);
            let mut req = self.refs([x.handler.as_str()], &none);
            req.push(Key::Extensions);
            let label = format!("access method {name}");
            self.step(Phase::AccessMethod, label, st, vec![], req);
        }
    }

    /// Casts, once their types and function are there (and before the
    /// views and defaults that may use them, by phase).
    fn casts(&mut self) {
        let none = (String::new(), String::new());
        for (key, x) in &self.pg.casts {
            let st = cast::create(self.r, key, x);
            let texts = std::iter::once(key.as_str()).chain(x.function.as_deref());
            let mut req = self.refs(texts, &none);
            req.push(Key::Extensions);
            self.step(Phase::Cast, format!("cast {key}"), st, vec![], req);
        }
    }

    /// Text search templates and parsers once their functions are there,
    /// dictionaries once their template is, configurations once their
    /// parser and dictionaries are (and before the tables and indexes that
    /// may name them, by phase). What each names is required explicitly:
    /// a dictionary may have its template's name.
    fn text_search(&mut self, sn: &str, s: &'a crate::model::postgres::Schema) {
        let r = self.r;
        let none = (String::new(), String::new());
        let add = |b: &mut Self, kind: &str, n: &str, st: Vec<Statement>, texts: Vec<&str>| {
            let mut req = b.refs(texts, &none);
            req.extend(Self::base(sn));
            let provides = vec![Key::Object(sn.to_string(), n.to_string())];
            let label = format!("text search {kind} {sn}.{n}");
            b.step(Phase::TextSearch, label, st, provides, req);
        };
        for (n, t) in &s.text_search_templates {
            let st = text_search::create_template(r, Name::new(sn, n), t);
            let texts = t.init.iter().chain([&t.lexize]).map(String::as_str);
            add(self, "template", n, st, texts.collect());
        }
        for (n, p) in &s.text_search_parsers {
            let st = text_search::create_parser(r, Name::new(sn, n), p);
            let texts = [&p.start, &p.gettoken, &p.end, &p.lextypes]
                .into_iter()
                .chain(&p.headline)
                .map(String::as_str);
            add(self, "parser", n, st, texts.collect());
        }
        for (n, d) in &s.text_search_dictionaries {
            let st = text_search::create_dictionary(r, Name::new(sn, n), d);
            add(self, "dictionary", n, st, vec![d.template.as_str()]);
        }
        for (n, c) in &s.text_search_configurations {
            let st = text_search::create_configuration(r, Name::new(sn, n), c);
            let texts = std::iter::once(&c.parser)
                .chain(c.mappings.values().flatten())
                .map(String::as_str);
            add(self, "configuration", n, st, texts.collect());
        }
    }

    /// Subscriptions, after the publications (as `pg_dump` has them): they
    /// need nothing of this database.
    fn subscriptions(&mut self) {
        for (name, x) in &self.pg.subscriptions {
            let st = subscription::create(self.r, name, x);
            self.unsupported
                .extend(subscription::secrets_not_written(self.r, name, x, None));
            let label = format!("subscription {name}");
            self.step(Phase::Subscription, label, st, vec![], vec![]);
        }
    }

    /// Event triggers, once their functions are there.
    fn event_triggers(&mut self) {
        for (name, x) in &self.pg.event_triggers {
            let st = event_trigger::create(self.r, name, x);
            let req = parse_qualified(&x.function)
                .filter(|f| self.known.contains(f))
                .map(|f| Key::Object(f.0, f.1))
                .into_iter()
                .collect();
            let label = format!("event trigger {name}");
            self.step(Phase::EventTrigger, label, st, vec![], req);
        }
    }

    /// Publications, once the tables and schemas they publish are there.
    fn publications(&mut self) {
        for (name, p) in &self.pg.publications {
            let st = publication::create(self.r, name, p);
            let mut req: Vec<Key> = p.schemas.iter().map(|s| Key::Schema(s.clone())).collect();
            for t in p.tables.keys() {
                if let Some(pair) = parse_qualified(t).filter(|x| self.known.contains(x)) {
                    req.push(Key::Object(pair.0, pair.1));
                }
            }
            let label = format!("publication {name}");
            self.step(Phase::Publication, label, st, vec![], req);
        }
    }

    /// The keys every object in schema `sn` needs.
    fn base(sn: &str) -> Vec<Key> {
        vec![Key::Schema(sn.to_string()), Key::Extensions]
    }

    /// A step that creates object `name` of schema `sn` (for a function,
    /// the name of all its overloads), needing what `texts` name (and,
    /// with `parts`, those tables' keys and indexes), its schema and the
    /// extensions.
    #[allow(clippy::too_many_arguments)]
    fn object<'t>(
        &mut self,
        phase: Phase,
        sn: &str,
        name: &str,
        label: String,
        statements: Vec<Statement>,
        texts: impl IntoIterator<Item = &'t str>,
        parts: bool,
    ) {
        let own = (sn.to_string(), name.to_string());
        let mut req = self.refs(texts, &own);
        if parts {
            req = with_parts(req);
        }
        req.extend(Self::base(sn));
        let provides = vec![Key::Object(own.0, own.1)];
        self.step(phase, label, statements, provides, req);
    }

    fn types(&mut self, sn: &str, s: &'a crate::model::postgres::Schema) {
        let r = self.r;
        for (n, e) in &s.enums {
            let st = types::create_enum(r, Name::new(sn, n), e);
            self.object(Phase::Type, sn, n, format!("{sn}.{n}"), st, [], false);
        }
        for (n, c) in &s.composite_types {
            let st = types::create_composite(r, Name::new(sn, n), c);
            let texts = c
                .attributes
                .iter()
                .flat_map(|a| std::iter::once(a.data_type.as_str()).chain(a.collation.as_deref()));
            self.object(Phase::Type, sn, n, format!("{sn}.{n}"), st, texts, false);
        }
        for (n, d) in &s.domains {
            let st = types::create_domain(r, Name::new(sn, n), d);
            let texts = [d.base_type.as_str()]
                .into_iter()
                .chain(d.default.as_deref())
                .chain(d.collation.as_deref())
                .chain(d.constraints.values().map(String::as_str));
            self.object(Phase::Type, sn, n, format!("{sn}.{n}"), st, texts, false);
        }
    }

    /// Base types as `pg_dump` orders them: the shell (unless the database
    /// has it), then the I/O functions (which need only the shell, see
    /// `functions`), then the type, which provides the type itself. Shell
    /// types never completed, alone.
    fn base_types(&mut self, sn: &str, s: &'a Schema) {
        for (n, t) in &s.base_types {
            let at = Name::new(sn, n);
            let own = (sn.to_string(), n.to_string());
            let shell = if self.have_shells.contains(&own) {
                vec![]
            } else {
                vec![types::create_shell(self.r, at)]
            };
            let provides = vec![Key::Shell(own.0.clone(), own.1.clone())];
            let label = format!("{sn}.{n} (shell)");
            self.step(Phase::Type, label, shell, provides, Self::base(sn));
            let st = types::create_base(self.r, at, t);
            let texts = t.functions().chain(t.element.as_deref());
            let mut req = self.refs(texts, &own);
            req.push(Key::Shell(own.0.clone(), own.1.clone()));
            req.extend(Self::base(sn));
            let provides = vec![Key::Object(own.0, own.1)];
            self.step(Phase::Type, format!("{sn}.{n}"), st, provides, req);
        }
        for (n, t) in &s.shell_types {
            let st = types::create_shell_type(self.r, Name::new(sn, n), t);
            self.object(Phase::Type, sn, n, format!("{sn}.{n}"), st, [], false);
        }
    }

    /// Range types, after their subtype, operator class, collation and
    /// functions; each provides its multirange type too.
    fn range_types(&mut self, sn: &str, s: &'a crate::model::postgres::Schema) {
        for (n, t) in &s.range_types {
            let st = types::create_range(self.r, Name::new(sn, n), t);
            let own = (sn.to_string(), n.to_string());
            let texts = [t.subtype.as_str()].into_iter().chain(
                [
                    &t.subtype_opclass,
                    &t.collation,
                    &t.canonical,
                    &t.subtype_diff,
                ]
                .into_iter()
                .flatten()
                .map(String::as_str),
            );
            let mut req = self.refs(texts, &own);
            req.extend(Self::base(sn));
            let (msn, mn) = multirange_of(sn, n, t);
            let provides = vec![Key::Object(own.0, own.1), Key::Object(msn, mn)];
            self.step(Phase::Type, format!("{sn}.{n}"), st, provides, req);
        }
    }

    fn functions(&mut self, sn: &str, s: &'a crate::model::postgres::Schema) {
        let r = self.r;
        for (key, f) in &s.functions {
            let st = match function::create(r, sn, key, f) {
                Ok(st) => st,
                Err(e) => {
                    self.unsupported.push(e);
                    continue;
                }
            };
            // A SQL-standard body is parsed when the function is created:
            // what it reads must exist, as for a view.
            let standard = f.language == "sql"
                && (f.body.starts_with("RETURN ") || f.body.starts_with("BEGIN ATOMIC"));
            let mut texts = vec![f.arguments.as_str()];
            texts.extend(f.returns.as_deref());
            // An aggregate comes after the functions, types and operator
            // its clauses name.
            if let Some(a) = &f.aggregate {
                texts.extend([a.sfunc.as_str(), a.stype.as_str()]);
                texts.extend(
                    [
                        &a.finalfunc,
                        &a.combinefunc,
                        &a.serialfunc,
                        &a.deserialfunc,
                        &a.msfunc,
                        &a.minvfunc,
                        &a.mstype,
                        &a.mfinalfunc,
                        &a.sortop,
                    ]
                    .into_iter()
                    .flatten()
                    .map(String::as_str),
                );
            }
            let phase = if standard {
                texts.push(f.body.as_str());
                Phase::View
            } else {
                Phase::Function
            };
            let name = function::split_key(key).0;
            self.object(phase, sn, name, format!("{sn}.{key}"), st, texts, standard);
            let mut req = Vec::new();
            if self.pg.languages.contains_key(&f.language) {
                req.push(Key::Language(f.language.clone()));
            }
            for t in &f.transforms {
                let key = Transform::key(t, &f.language);
                if self.pg.transforms.contains_key(&key) {
                    req.push(Key::Transform(key));
                }
            }
            let step = self.steps.last_mut().expect("just pushed");
            step.requires.extend(req);
            // A base type's I/O function needs its shell, not the type
            // (which needs the function).
            if self.io.contains(&(sn.to_string(), name.to_string())) {
                let step = self.steps.last_mut().expect("just pushed");
                for k in &mut step.requires {
                    if let Key::Object(x, y) = k {
                        if self.bases.contains(&(x.clone(), y.clone())) {
                            *k = Key::Shell(x.clone(), y.clone());
                        }
                    }
                }
            }
        }
    }

    /// Operators, once their types and functions are there (and before
    /// the tables, indexes and views that may use them, by phase). A
    /// commutator or negator is not waited for: the first of two operators
    /// that name each other leaves a shell the second fills in.
    fn operators(&mut self, sn: &str, s: &'a crate::model::postgres::Schema) {
        for (key, o) in &s.operators {
            let st = operator::create(self.r, sn, key, o);
            let (name, left, right) = operator::split_key(key);
            let texts = [left, right, o.function.as_str()]
                .into_iter()
                .chain(o.restrict.as_deref())
                .chain(o.join.as_deref());
            let label = format!("{sn}.{key}");
            self.object(Phase::Operator, sn, name, label, st, texts, false);
        }
    }

    /// Operator families (with the members they hold themselves), then
    /// classes, once the operators, functions and types they name are
    /// there (and before the indexes that use them, by phase).
    fn operator_classes(&mut self, sn: &str, s: &'a crate::model::postgres::Schema) {
        let none = (String::new(), String::new());
        for (key, f) in &s.operator_families {
            let st = opclass::create_family(self.r, sn, key, f);
            let texts = f.members.values().map(String::as_str);
            let mut req = self.refs(texts, &none);
            req.extend(Self::base(sn));
            let label = format!("operator family {sn}.{key}");
            self.step(Phase::OperatorFamily, label, st, vec![], req);
        }
        for (key, c) in &s.operator_classes {
            let st = opclass::create_class(self.r, sn, key, c);
            let texts = [c.for_type.as_str()]
                .into_iter()
                .chain(c.storage.as_deref())
                .chain(c.members.values().map(String::as_str));
            let mut req = self.refs(texts, &none);
            req.extend(Self::base(sn));
            let label = format!("operator class {sn}.{key}");
            self.step(Phase::OperatorClass, label, st, vec![], req);
        }
    }

    fn sequence(&mut self, sn: &str, n: &str, q: &crate::model::postgres::Sequence) {
        let r = self.r;
        let at = Name::new(sn, n);
        let own = Key::Object(sn.to_string(), n.to_string());
        let st = sequence::create(r, at, q);
        self.object(Phase::Sequence, sn, n, format!("{sn}.{n}"), st, [], false);
        if let Some(o) = &q.owned_by {
            let mut req = vec![own];
            if let Some((s, t)) = parse_qualified(o) {
                req.push(Key::Object(s, t));
            }
            let st = vec![sequence::owned_by(r, at, Some(o))];
            self.step(Phase::OwnedBy, format!("{sn}.{n}"), st, vec![], req);
        }
    }

    fn table(&mut self, sn: &str, n: &str, t: &'a Table) {
        let r = self.r;
        let at = Name::new(sn, n).of_table(t);
        let own = (sn.to_string(), n.to_string());
        let obj = Key::Object(sn.to_string(), n.to_string());
        let parts = Key::Parts(sn.to_string(), n.to_string());
        let keys = Key::Keys(sn.to_string(), n.to_string());
        let label = format!("{sn}.{n}");

        let texts = t.columns.iter().flat_map(|c| {
            [
                Some(c.data_type.as_str()),
                c.default.as_deref(),
                c.collation.as_deref(),
            ]
            .into_iter()
            .flatten()
            .chain(c.generated.as_ref().map(|g| g.expression.as_str()))
        });
        let texts = texts
            .chain(t.partition_key.as_deref())
            .chain(t.of.as_deref());
        let st = table::create(r, at, t);
        self.object(Phase::Table, sn, n, label.clone(), st, texts, false);
        // A foreign table after its server.
        if let Some(f) = &t.foreign {
            if self.pg.foreign_servers.contains_key(&f.server) {
                let step = self.steps.last_mut().expect("just pushed");
                step.requires.push(Key::ForeignServer(f.server.clone()));
            }
            let set = format!("ALTER FOREIGN TABLE {}", r.qual(at));
            let names = foreign::secrets_to_set(&f.options, None);
            let object = format!("foreign table {sn}.{n}");
            self.unsupported
                .extend(foreign::secrets_not_written(&object, &set, names));
        }

        // A replica identity USING INDEX and CLUSTER ON go with their
        // index or key.
        let with_index_settings = |name: &str, mut st: Vec<Statement>| {
            st.extend(table::on_index(r, at, t, name));
            st
        };
        for (cn, c) in &t.constraints {
            let st = with_index_settings(cn, constraint::create(r, at, cn, c));
            let (phase, provides) = match c.kind {
                ConstraintKind::ForeignKey if self.derived_fk(t, c) => continue,
                ConstraintKind::ForeignKey => (Phase::ForeignKey, vec![]),
                ConstraintKind::Check => (Phase::Constraint, vec![parts.clone()]),
                _ => (Phase::Constraint, vec![parts.clone(), keys.clone()]),
            };
            let label = format!("{label}.{cn}");
            let step = self.child(phase, label, st, &own, [c.definition.as_str()], provides);
            // A foreign key needs the referenced table's key, and the
            // referenced table's partitions: PostgreSQL then derives a
            // foreign key per partition, numbered in partition order, as
            // it did when the key was added to the whole hierarchy.
            let referenced = c
                .foreign_key
                .as_ref()
                .and_then(|f| parse_qualified(&f.references));
            if let Some((s, x)) = referenced {
                step.requires.push(Key::Keys(s.clone(), x.clone()));
                step.requires.push(Key::Partitions(s, x));
            }
        }
        for (xn, x) in &t.indexes {
            let st = with_index_settings(xn, index::create(r, at, xn, x, Some(&t.columns)));
            let texts = x
                .keys
                .iter()
                .flat_map(|k| {
                    [
                        Some(k.expression.as_str()),
                        k.opclass.as_deref(),
                        k.collation.as_deref(),
                    ]
                })
                .flatten()
                .chain(x.predicate.as_deref());
            let mut provides = vec![parts.clone()];
            if x.unique {
                provides.push(keys.clone());
            }
            self.child(
                Phase::Index,
                format!("{label}.{xn}"),
                st,
                &own,
                texts,
                provides,
            );
        }

        self.statistics(Phase::Index, at, &label, &own, &t.statistics);

        // Attaching and inheriting, once both sides have their parts.
        let parents: Vec<&str> = t
            .partition_of
            .iter()
            .map(|p| p.parent.as_str())
            .chain(t.inherits.iter().map(String::as_str))
            .collect();
        if !parents.is_empty() {
            let mut st: Vec<Statement> = table::attach(r, at, t).into_iter().collect();
            st.extend(table::inherit_all(r, at, t));
            // A partitioned partition gets its own partitions first.
            let mut req = vec![
                obj.clone(),
                parts.clone(),
                Key::Partitions(sn.to_string(), n.to_string()),
            ];
            let mut provides = vec![Key::Attached(sn.to_string(), n.to_string())];
            if let Some((s, x)) = t
                .partition_of
                .as_ref()
                .and_then(|p| parse_qualified(&p.parent))
            {
                provides.push(Key::Partitions(s, x));
            }
            for p in parents {
                if let Some((s, x)) = parse_qualified(p) {
                    req.push(Key::Object(s.clone(), x.clone()));
                    req.push(Key::Parts(s, x));
                }
            }
            self.step(Phase::Attach, label.clone(), st, provides, req);
        }

        let parent = t
            .partition_of
            .as_ref()
            .and_then(|p| parse_qualified(&p.parent))
            .and_then(|(s, x)| {
                self.whole
                    .schemas
                    .get(&s)?
                    .tables
                    .get(&x)
                    .map(|pt| (s, x, pt))
            });
        for (tn, tr) in &t.triggers {
            let clone_of = parent.as_ref().and_then(|(s, x, pt)| {
                table::cloned_trigger(pt, tn, tr).map(|p| (s.clone(), x.clone(), p))
            });
            let mut req = Vec::new();
            let st = match clone_of {
                // Attaching made it: only what differs from the parent's.
                Some((ps, px, p)) => {
                    req.push(Key::Trigger(ps, px, tn.clone()));
                    req.push(Key::Attached(sn.to_string(), n.to_string()));
                    let mut own_settings = tr.clone();
                    if tr.enabled == p.enabled {
                        own_settings.enabled = "origin".into();
                    }
                    trigger::settings(r, at, tn, &own_settings)
                }
                None => trigger::create(r, at, tn, tr),
            };
            if st.is_empty() {
                continue;
            }
            let texts = [tr.function.as_str()].into_iter().chain(tr.when.as_deref());
            let provides = vec![Key::Trigger(sn.to_string(), n.to_string(), tn.clone())];
            self.child(
                Phase::Trigger,
                format!("{label}.{tn}"),
                st,
                &own,
                texts,
                provides,
            )
            .requires
            .extend(req);
        }
        for (rn, x) in &t.rules {
            let st = rule::create(r, at, rn, x);
            let texts = [x.definition.as_str()];
            self.child(
                Phase::Trigger,
                format!("{label}.{rn}"),
                st,
                &own,
                texts,
                vec![],
            );
        }
        for (pn, p) in &t.policies {
            let st = policy::create(r, at, pn, p);
            let texts = p
                .using
                .as_deref()
                .into_iter()
                .chain(p.with_check.as_deref());
            self.child(
                Phase::Policy,
                format!("{label}.{pn}"),
                st,
                &own,
                texts,
                vec![],
            );
        }
    }

    /// Whether foreign key `c` of `t` is one PostgreSQL derives from
    /// another of `t`'s foreign keys for a partition of the partitioned
    /// table that one references (same columns, same actions).
    fn derived_fk(&self, t: &Table, c: &crate::model::postgres::Constraint) -> bool {
        let Some(fk) = &c.foreign_key else {
            return false;
        };
        // The ancestors of the referenced table, by partition.
        let mut ancestors = Vec::new();
        let mut cur = parse_qualified(&fk.references);
        while let Some((s, x)) = cur {
            let parent = self
                .whole
                .schemas
                .get(&s)
                .and_then(|sc| sc.tables.get(&x))
                .and_then(|pt| pt.partition_of.as_ref())
                .map(|p| p.parent.clone());
            match parent {
                Some(p) => {
                    ancestors.push(p.clone());
                    cur = parse_qualified(&p);
                }
                None => cur = None,
            }
            if ancestors.len() > 64 {
                break;
            }
        }
        t.constraints.values().any(|o| {
            o.foreign_key.as_ref().is_some_and(|of| {
                ancestors.contains(&of.references)
                    && o.columns == c.columns
                    && of.referenced_columns == fk.referenced_columns
                    && of.on_update == fk.on_update
                    && of.on_delete == fk.on_delete
                    && of.match_type == fk.match_type
            })
        })
    }

    fn views(&mut self, sn: &str, s: &crate::model::postgres::Schema) {
        let r = self.r;
        for (n, v) in &s.views {
            let at = Name::new(sn, n);
            let own = (sn.to_string(), n.clone());
            let st = view::create_view(r, at, v);
            let texts = [v.definition.as_str()];
            self.object(Phase::View, sn, n, format!("{sn}.{n}"), st, texts, true);
            for (tn, tr) in &v.triggers {
                let st = trigger::create(r, at, tn, tr);
                let texts = [tr.function.as_str()].into_iter().chain(tr.when.as_deref());
                self.child(
                    Phase::Trigger,
                    format!("{sn}.{n}.{tn}"),
                    st,
                    &own,
                    texts,
                    vec![],
                );
            }
            for (rn, x) in &v.rules {
                let st = rule::create(r, at, rn, x);
                let texts = [x.definition.as_str()];
                self.child(
                    Phase::Trigger,
                    format!("{sn}.{n}.{rn}"),
                    st,
                    &own,
                    texts,
                    vec![],
                );
            }
        }
        for (n, m) in &s.materialized_views {
            let at = Name::new(sn, n);
            let own = (sn.to_string(), n.clone());
            let st = view::create_materialized_view(r, at, m);
            let texts = [m.definition.as_str()];
            self.object(Phase::View, sn, n, format!("{sn}.{n}"), st, texts, true);
            for (xn, x) in &m.indexes {
                let mut st = index::create(r, at, xn, x, None);
                if m.clustered_on.as_ref() == Some(xn) {
                    st.extend(view::cluster_of(r, at, m, None));
                }
                let texts = x
                    .keys
                    .iter()
                    .map(|k| k.expression.as_str())
                    .chain(x.predicate.as_deref());
                self.child(
                    Phase::ViewIndex,
                    format!("{sn}.{n}.{xn}"),
                    st,
                    &own,
                    texts,
                    vec![],
                );
            }
            let label = format!("{sn}.{n}");
            self.statistics(Phase::ViewIndex, at, &label, &own, &m.statistics);
        }
    }

    /// A step per extended statistics object of relation `own` (`label`):
    /// each needs the relation, what its expressions name and its own
    /// schema, which may be another than the relation's.
    fn statistics(
        &mut self,
        phase: Phase,
        at: Name,
        label: &str,
        own: &(String, String),
        statistics: &BTreeMap<String, Statistics>,
    ) {
        for (xn, x) in statistics {
            let st = statistics::create(self.r, at, xn, x);
            let texts = x.expressions.iter().map(String::as_str);
            let step = self.child(phase, format!("{label}.{xn}"), st, own, texts, vec![]);
            if let Some(s) = &x.schema {
                step.requires.push(Key::Schema(s.clone()));
            }
        }
    }

    /// A step for a part of relation `own` (a constraint, an index, a
    /// trigger, a policy), needing the relation and what `texts` name.
    fn child<'t>(
        &mut self,
        phase: Phase,
        label: String,
        statements: Vec<Statement>,
        own: &(String, String),
        texts: impl IntoIterator<Item = &'t str>,
        provides: Vec<Key>,
    ) -> &mut Step {
        let mut req = vec![Key::Object(own.0.clone(), own.1.clone())];
        req.extend(self.refs(texts, own));
        self.step(phase, label, statements, provides, req)
    }
}

/// `keys` and, for each object, its parts: a view or a SQL-standard body
/// may rely on a table's primary key (`GROUP BY` a key).
fn with_parts(keys: Vec<Key>) -> Vec<Key> {
    let mut out = keys.clone();
    for k in keys {
        if let Key::Object(s, n) = k {
            out.push(Key::Parts(s, n));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(phase: Phase, label: &str, provides: &[Key], requires: &[Key]) -> Step {
        Step {
            phase,
            label: label.into(),
            statements: vec![Statement::new(label)],
            provides: provides.to_vec(),
            requires: requires.to_vec(),
        }
    }

    fn obj(n: &str) -> Key {
        Key::Object("s".into(), n.into())
    }

    #[test]
    fn phases_order_steps_unless_a_dependency_says_otherwise() {
        let steps = vec![
            step(Phase::View, "v", &[obj("v")], &[obj("t")]),
            step(Phase::Table, "t", &[obj("t")], &[obj("f")]),
            step(Phase::Table, "a", &[obj("a")], &[]),
            // A SQL-standard function that the table's default calls.
            step(Phase::View, "f", &[obj("f")], &[]),
            step(Phase::Schema, "s", &[Key::Schema("s".into())], &[]),
        ];
        let (sorted, stuck) = order(steps);
        let labels: Vec<&str> = sorted.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["s", "a", "f", "t", "v"]);
        assert!(stuck.is_empty());
    }

    #[test]
    fn cycles_are_returned_apart() {
        let steps = vec![
            step(Phase::Table, "a", &[obj("a")], &[obj("b")]),
            step(Phase::Table, "b", &[obj("b")], &[obj("a")]),
            step(Phase::Table, "c", &[obj("c")], &[]),
        ];
        let (sorted, stuck) = order(steps);
        assert_eq!(sorted.len(), 1);
        assert_eq!(
            stuck.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
    }
}

//! Reads one resource schema into the generator's model: the resource's fields, the
//! nested structs and enums it needs, its attributes and its references.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value as Json;

use crate::Error;
use crate::config::{self, Kind, Via};
use crate::naming;

/// The Rust type of a field.
#[derive(Clone)]
pub enum Ty {
    /// `Value<T>`: a scalar, a list of scalars, a map or free JSON.
    Value(TokenStream),
    /// A generated nested struct.
    Struct(String),
    /// A list of a generated nested struct.
    StructList(String),
    /// A map from names to a generated nested struct.
    StructMap(String),
}

pub struct Field {
    pub rust_name: String,
    pub cfn_name: String,
    pub doc: String,
    pub ty: Ty,
    pub required: bool,
}

pub struct StructDef {
    pub name: String,
    pub doc: String,
    pub fields: Vec<Field>,
}

pub struct EnumDef {
    pub name: String,
    /// The schema name it was made for, so that a second use of the same enum reuses it.
    pub base: String,
    pub doc: String,
    pub variants: Vec<(String, String)>,
}

pub struct Attribute {
    pub method: String,
    pub getatt: String,
    pub inner: TokenStream,
    pub doc: String,
}

pub struct Identity {
    pub kind: Kind,
    pub via: Via,
}

/// A union of reference kinds some property accepts.
#[derive(Clone)]
pub struct Union {
    pub name: String,
    pub members: Vec<TokenStream>,
    pub formats: String,
}

pub struct ResourceModel {
    pub type_name: String,
    pub service: String,
    pub module: String,
    pub struct_name: String,
    pub doc: String,
    pub fields: Vec<Field>,
    pub structs: Vec<StructDef>,
    pub enums: Vec<EnumDef>,
    pub create_only: Vec<String>,
    /// Each string the schema bounds in length, at any depth: (path, least, most), the
    /// path's fields joined by `/` and a list's items `*`.
    pub lengths: Vec<(String, u64, u64)>,
    pub attributes: Vec<Attribute>,
    pub attribute_names: Vec<String>,
    pub identities: Vec<Identity>,
    /// The properties that identify a resource of the type (`primaryIdentifier`).
    pub primary_identifier: Vec<String>,
    pub taggable: bool,
    pub id_parameter_type: Option<String>,
}

/// What resolution needs to know about the other types in the model.
pub struct Context<'a> {
    /// Every generated type name → its Rust path tokens' parts (service module, struct).
    pub types: &'a BTreeMap<String, (String, String)>,
    /// Overrides not yet matched; resolution removes those it uses.
    pub unused_overrides: &'a mut BTreeSet<(String, String)>,
    /// Unions met so far, by their format string.
    pub unions: &'a mut BTreeMap<String, Union>,
    /// Properties whose schema has no faithful Rust shape, kept as JSON:
    /// `Type.Path: why`.
    pub degraded: &'a mut Vec<String>,
}

struct Resolver<'s, 'c, 'a> {
    type_name: &'s str,
    schema: &'s Json,
    ctx: &'c mut Context<'a>,
    taken: BTreeSet<String>,
    def_names: BTreeMap<String, String>,
    queue: VecDeque<String>,
    structs: Vec<StructDef>,
    enums: Vec<EnumDef>,
}

pub fn resolve(
    type_name: &str,
    schema: &Json,
    ctx: &mut Context<'_>,
) -> Result<ResourceModel, Error> {
    let (service, module, struct_name) = naming::type_names(type_name);
    let mut r = Resolver {
        type_name,
        schema,
        ctx,
        taken: naming::RESERVED_TYPES
            .iter()
            .map(|s| s.to_string())
            .collect(),
        def_names: BTreeMap::new(),
        queue: VecDeque::new(),
        structs: Vec::new(),
        enums: Vec::new(),
    };
    r.taken.insert(struct_name.clone());

    let read_only: Vec<String> = strings(schema, "readOnlyProperties");
    let top_read_only: BTreeSet<String> = top_level(&read_only).collect();
    let create_only: Vec<String> = top_level(&strings(schema, "createOnlyProperties")).collect();

    let fields = r.fields("", &struct_name, schema, &top_read_only, &create_only)?;
    while let Some(def) = r.queue.pop_front() {
        let name = r.def_names[&def].clone();
        let node = &schema["definitions"][&def];
        let fields = r.fields(&def, &name, node, &BTreeSet::new(), &[])?;
        r.structs.push(StructDef {
            name,
            doc: doc_of(node),
            fields,
        });
    }

    let getatt_paths = getatt_paths(type_name, schema, read_only);
    let attributes = r.attributes(&getatt_paths)?;
    let attribute_names = getatt_paths
        .iter()
        .filter(|p| !p.contains('*'))
        .filter_map(|p| p.strip_prefix("/properties/"))
        .map(|p| p.replace('/', "."))
        .collect();
    let identities = config::IDENTITIES
        .iter()
        .filter(|(t, _, _)| *t == type_name)
        .map(|&(_, kind, via)| Identity { kind, via })
        .collect();
    let taggable = schema["tagging"]["taggable"].as_bool().unwrap_or(false)
        && schema["properties"]["Tags"]["type"] == "array";
    Ok(ResourceModel {
        type_name: type_name.to_owned(),
        service,
        module,
        struct_name,
        doc: doc_of(schema),
        fields,
        structs: r.structs,
        enums: r.enums,
        lengths: lengths(schema, &top_read_only),
        create_only,
        attributes,
        attribute_names,
        identities,
        primary_identifier: strings(schema, "primaryIdentifier")
            .iter()
            .filter_map(|p| p.strip_prefix("/properties/"))
            .map(str::to_owned)
            .collect(),
        taggable,
        id_parameter_type: config::ID_PARAMETER_TYPES
            .iter()
            .find(|(t, _)| *t == type_name)
            .map(|(_, p)| p.to_string()),
    })
}

/// The top-level property names among schema paths (`/properties/Name`).
fn top_level(paths: &[String]) -> impl Iterator<Item = String> + '_ {
    paths
        .iter()
        .filter_map(|p| p.strip_prefix("/properties/"))
        .filter(|p| !p.contains('/'))
        .map(str::to_owned)
}

/// The paths `Fn::GetAtt` may read: the read-only properties, and every property of the
/// types of `config::GETATT_ALL_PROPERTIES`.
fn getatt_paths(type_name: &str, schema: &Json, read_only: Vec<String>) -> Vec<String> {
    let mut paths = read_only;
    if config::GETATT_ALL_PROPERTIES.contains(&type_name) {
        let all = schema["properties"]
            .as_object()
            .into_iter()
            .flat_map(|p| p.keys());
        for name in all {
            let path = format!("/properties/{name}");
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
    }
    paths
}

fn strings(schema: &Json, key: &str) -> Vec<String> {
    schema[key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn doc_of(node: &Json) -> String {
    node["description"].as_str().unwrap_or_default().to_owned()
}

impl Resolver<'_, '_, '_> {
    /// The fields of an object node; `owner` is the definition name ("" for the resource).
    fn fields(
        &mut self,
        owner: &str,
        owner_rust: &str,
        node: &Json,
        skip: &BTreeSet<String>,
        create_only: &[String],
    ) -> Result<Vec<Field>, Error> {
        let required: BTreeSet<String> = strings(node, "required").into_iter().collect();
        let Some(props) = node["properties"].as_object() else {
            return Ok(Vec::new());
        };
        let mut fields = Vec::new();
        let mut rust_names = BTreeSet::new();
        for (name, prop) in props {
            if skip.contains(name) {
                continue;
            }
            let rust_name = naming::field(name);
            if !rust_names.insert(rust_name.clone()) {
                return Err(Error(format!(
                    "{}: two properties of {owner_rust} are both named `{rust_name}` in Rust",
                    self.type_name
                )));
            }
            let path = if owner.is_empty() {
                name.clone()
            } else {
                format!("{owner}/{name}")
            };
            let ty = self.ty(&path, name, owner_rust, prop)?;
            let mut doc = doc_of(prop);
            let is_required = required.contains(name);
            let mut notes = vec![format!("CloudFormation: `{name}`.")];
            if is_required {
                notes.push("Required.".into());
            }
            if create_only.contains(name) {
                notes.push("Changing it replaces the resource.".into());
            }
            if !doc.is_empty() {
                doc.push_str("\n\n");
            }
            doc.push_str(&notes.join(" "));
            fields.push(Field {
                rust_name,
                cfn_name: name.clone(),
                doc,
                ty,
                required: is_required,
            });
        }
        Ok(fields)
    }

    fn ty(&mut self, path: &str, name: &str, owner_rust: &str, node: &Json) -> Result<Ty, Error> {
        if let Some((def, target)) = definition(self.schema, node) {
            if is_struct(target) {
                return Ok(Ty::Struct(self.struct_name(&def, target)));
            }
            return self.ty(path, &def, owner_rust, target);
        }
        let types: Vec<&str> = match &node["type"] {
            Json::String(t) => vec![t.as_str()],
            Json::Array(ts) => ts.iter().filter_map(Json::as_str).collect(),
            _ => Vec::new(),
        };
        if types.len() != 1 {
            // Free-form JSON (policy documents), or untyped; several types at once have
            // no one Rust shape.
            if types.len() > 1 {
                self.degrade(path, &format!("one of the types {}", types.join(", ")));
            }
            return Ok(Ty::Value(quote!(crate::Json)));
        }
        match types[0] {
            "array" => {
                let items = &node["items"];
                let item_target = definition(self.schema, items).map(|(d, t)| (d, t.clone()));
                if let Some((def, target)) = item_target
                    && is_struct(&target)
                {
                    return Ok(Ty::StructList(self.struct_name(&def, &target)));
                }
                if is_struct(items) {
                    let s = self.inline_struct(name, owner_rust, items)?;
                    return Ok(Ty::StructList(s));
                }
                let singular = name.strip_suffix('s').unwrap_or(name);
                match self.ty(path, singular, owner_rust, items)? {
                    Ty::Value(inner) => Ok(Ty::Value(quote!(Vec<#inner>))),
                    _ => {
                        self.degrade(path, "a list of lists of objects");
                        Ok(Ty::Value(quote!(crate::Json)))
                    }
                }
            }
            "object" => {
                if is_struct(node) {
                    return Ok(Ty::Struct(self.inline_struct(name, owner_rust, node)?));
                }
                if let Some(pattern) = node["patternProperties"].as_object()
                    && pattern.len() == 1
                    && let Some((_, inner)) = pattern.iter().next()
                {
                    match self.ty(path, name, owner_rust, inner)? {
                        Ty::Value(inner) => {
                            return Ok(Ty::Value(
                                quote!(::std::collections::BTreeMap<String, #inner>),
                            ));
                        }
                        Ty::Struct(inner) => return Ok(Ty::StructMap(inner)),
                        Ty::StructList(_) | Ty::StructMap(_) => {}
                    }
                }
                if node["patternProperties"].is_object() {
                    self.degrade(path, "a map whose values are objects or of several shapes");
                }
                Ok(Ty::Value(quote!(crate::Json)))
            }
            "string" => Ok(Ty::Value(self.string_type(path, name, owner_rust, node)?)),
            "integer" => Ok(Ty::Value(quote!(i64))),
            "number" => Ok(Ty::Value(quote!(f64))),
            "boolean" => Ok(Ty::Value(quote!(bool))),
            _ => Ok(Ty::Value(quote!(crate::Json))),
        }
    }

    fn degrade(&mut self, path: &str, why: &str) {
        self.ctx
            .degraded
            .push(format!("{}.{path}: {why}", self.type_name));
    }

    fn string_type(
        &mut self,
        path: &str,
        name: &str,
        owner_rust: &str,
        node: &Json,
    ) -> Result<TokenStream, Error> {
        if let Some(values) = node["enum"].as_array() {
            let values: Vec<String> = values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            let enum_name = self.enum_def(name, owner_rust, node, values);
            let ident = format_ident!("{}", enum_name);
            return Ok(quote!(#ident));
        }
        let key = (self.type_name.to_owned(), path.to_owned());
        let format = if self.ctx.unused_overrides.remove(&key) {
            config::OVERRIDES
                .iter()
                .find(|(t, p, _)| *t == self.type_name && *p == path)
                .map(|(_, _, f)| f.to_string())
        } else if let Some(f) = node["format"].as_str() {
            Some(f.to_owned())
        } else if let Some(f) = relationship(node) {
            Some(f)
        } else {
            node["anyOf"].as_array().map(|alternatives| {
                alternatives
                    .iter()
                    .filter_map(|a| a["format"].as_str())
                    .collect::<Vec<_>>()
                    .join("|")
            })
        };
        // A top-level property that names the resource itself (a bucket's `BucketName`) is
        // the name being chosen, a literal, not a reference to another resource.
        let names_itself = !path.contains('/')
            && format
                .as_deref()
                .is_some_and(|f| f.rsplit_once('.').is_some_and(|(t, _)| t == self.type_name));
        if names_itself {
            return Ok(quote!(String));
        }
        Ok(format
            .and_then(|f| self.reference(&f))
            .unwrap_or_else(|| quote!(String)))
    }

    /// The reference kind a `format` names, if it names a type of the model.
    fn reference(&mut self, format: &str) -> Option<TokenStream> {
        if format.is_empty() {
            return None;
        }
        let members: Option<Vec<TokenStream>> = format
            .split('|')
            .map(|f| single_reference(f, self.ctx.types))
            .collect();
        let members = members?;
        if members.len() == 1 {
            return members.into_iter().next();
        }
        let name = config::UNION_NAMES
            .iter()
            .find(|(f, _)| *f == format)
            .map(|(_, n)| n.to_string())
            .unwrap_or_else(|| {
                format
                    .split('|')
                    .map(|f| naming::camel(&f.replace("::", " ").replace('.', " ")))
                    .collect::<Vec<_>>()
                    .join("Or")
            });
        self.ctx
            .unions
            .entry(format.to_owned())
            .or_insert_with(|| Union {
                name: name.clone(),
                members,
                formats: format.replace('|', ", "),
            });
        let ident = format_ident!("{}", name);
        Some(quote!(crate::aws::#ident))
    }

    fn unique_name(&mut self, preferred: String, owner_rust: &str) -> String {
        let mut name = preferred;
        if self.taken.contains(&name) {
            name = format!("{owner_rust}{name}");
        }
        while self.taken.contains(&name) {
            name.push('_');
        }
        self.taken.insert(name.clone());
        name
    }

    fn struct_name(&mut self, def: &str, target: &Json) -> String {
        if def == "Tag" && is_key_value_tag(target) {
            return "crate::Tag".to_owned();
        }
        if let Some(n) = self.def_names.get(def) {
            return n.clone();
        }
        // A definition named like the resource (or a prelude type) becomes `<Name>Property`.
        let camel = naming::camel(def);
        let preferred = if self.taken.contains(&camel) {
            format!("{camel}Property")
        } else {
            camel
        };
        let name = self.unique_name(preferred, "");
        self.def_names.insert(def.to_owned(), name.clone());
        self.queue.push_back(def.to_owned());
        name
    }

    fn inline_struct(
        &mut self,
        name: &str,
        owner_rust: &str,
        node: &Json,
    ) -> Result<String, Error> {
        let struct_name = self.unique_name(naming::camel(name), owner_rust);
        // Inline objects are resolved at once; their own nested types queue as usual.
        let fields = self.fields(name, &struct_name, node, &BTreeSet::new(), &[])?;
        self.structs.push(StructDef {
            name: struct_name.clone(),
            doc: doc_of(node),
            fields,
        });
        Ok(struct_name)
    }

    fn enum_def(
        &mut self,
        name: &str,
        owner_rust: &str,
        node: &Json,
        values: Vec<String>,
    ) -> String {
        let base = naming::camel(name);
        if let Some(existing) = self
            .enums
            .iter()
            .find(|e| e.base == base && e.variants.iter().map(|(_, v)| v).eq(values.iter()))
        {
            return existing.name.clone();
        }
        let enum_name = self.unique_name(naming::camel(name), owner_rust);
        let mut seen = BTreeSet::new();
        let variants = values
            .into_iter()
            .map(|v| {
                let mut ident = naming::variant(&v);
                while !seen.insert(ident.clone()) {
                    ident.push('_');
                }
                (ident, v)
            })
            .collect();
        self.enums.push(EnumDef {
            name: enum_name.clone(),
            base,
            doc: doc_of(node),
            variants,
        });
        enum_name
    }

    /// Methods for the attributes `Fn::GetAtt` may read.
    fn attributes(&mut self, read_only: &[String]) -> Result<Vec<Attribute>, Error> {
        let mut out = Vec::new();
        for path in read_only {
            if path.contains('*') {
                continue;
            }
            let Some(rest) = path.strip_prefix("/properties/") else {
                continue;
            };
            let parts: Vec<&str> = rest.split('/').collect();
            let Some(node) = self.walk(&parts) else {
                continue;
            };
            let getatt = parts.join(".");
            let last = parts.last().copied().unwrap_or_default();
            // Attributes are resolved in the resource's context without generating types.
            let inner = match node["type"].as_str() {
                Some("string") if node.get("enum").is_none() => {
                    // An `Arn` attribute the schema leaves unannotated is this type's ARN.
                    let f = node["format"]
                        .as_str()
                        .map(str::to_owned)
                        .or_else(|| (parts == ["Arn"]).then(|| format!("{}.Arn", self.type_name)));
                    f.and_then(|f| self.reference(&f))
                        .unwrap_or_else(|| quote!(String))
                }
                Some("integer") => quote!(i64),
                Some("number") => quote!(f64),
                Some("boolean") => quote!(bool),
                Some("array") if node["items"]["type"] == "string" => {
                    let f = node["items"]["format"].as_str().map(str::to_owned);
                    let item = f
                        .and_then(|f| self.reference(&f))
                        .unwrap_or_else(|| quote!(String));
                    quote!(Vec<#item>)
                }
                None if node.get("anyOf").is_some() || node.get("format").is_some() => {
                    quote!(String)
                }
                _ => continue,
            };
            let method = naming::field(
                &parts
                    .iter()
                    .map(|p| naming::snake(p))
                    .collect::<Vec<_>>()
                    .join("_"),
            );
            let mut doc = doc_of(&node);
            if doc.is_empty() {
                doc = format!("The `{last}` attribute.");
            }
            doc.push_str(&format!("\n\n`Fn::GetAtt` attribute `{getatt}`."));
            out.push(Attribute {
                method,
                getatt,
                inner,
                doc,
            });
        }
        Ok(out)
    }

    /// The schema node at a property path, following `$ref`s.
    fn walk(&self, parts: &[&str]) -> Option<Json> {
        let mut node = self.schema.clone();
        for p in parts {
            node = node["properties"].get(*p)?.clone();
            while let Some((_, target)) = definition(self.schema, &node) {
                node = target.clone();
            }
        }
        Some(node)
    }
}

/// The definition a `$ref` points at.
fn definition<'j>(schema: &'j Json, node: &Json) -> Option<(String, &'j Json)> {
    let r = node["$ref"].as_str()?;
    let name = r.strip_prefix("#/definitions/")?;
    Some((name.to_owned(), &schema["definitions"][name]))
}

fn is_struct(node: &Json) -> bool {
    node["properties"]
        .as_object()
        .is_some_and(|p| !p.is_empty())
        && (node["type"] == "object" || node.get("type").is_none())
}

fn is_key_value_tag(node: &Json) -> bool {
    node["properties"]
        .as_object()
        .is_some_and(|p| p.len() == 2 && p.contains_key("Key") && p.contains_key("Value"))
}

/// The string properties a user sets whose length the schema bounds (`maxLength`, and
/// `minLength` or 0), at any depth below the settable properties: what synthesis holds a
/// literal value to.
fn lengths(schema: &Json, read_only: &BTreeSet<String>) -> Vec<(String, u64, u64)> {
    let mut out = Vec::new();
    let Some(properties) = schema["properties"].as_object() else {
        return out;
    };
    for (name, node) in properties.iter().filter(|(n, _)| !read_only.contains(*n)) {
        lengths_below(schema, node, name, &mut Vec::new(), &mut out);
    }
    out
}

/// How deep [`lengths_below`] follows definitions: past it, a schema's recursive
/// definitions (a rule's statement of statements) add nothing a user writes by hand.
const LENGTH_DEPTH: usize = 6;

/// The bounded strings at and below `node`, by path from the resource's properties:
/// `/` between a struct's fields, `*` for each item of a list (`Tags/*/Value`).
fn lengths_below(
    schema: &Json,
    node: &Json,
    path: &str,
    through: &mut Vec<String>,
    out: &mut Vec<(String, u64, u64)>,
) {
    if let Some(definition) = node["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/definitions/"))
    {
        if through.iter().any(|d| d == definition) || through.len() >= LENGTH_DEPTH {
            return;
        }
        through.push(definition.to_owned());
        lengths_below(
            schema,
            &schema["definitions"][definition],
            path,
            through,
            out,
        );
        through.pop();
        return;
    }
    match node["type"].as_str() {
        Some("string") => {
            if let Some(most) = node["maxLength"].as_u64() {
                let least = node["minLength"].as_u64().unwrap_or(0);
                out.push((path.to_owned(), least, most));
            }
        }
        Some("array") => lengths_below(schema, &node["items"], &format!("{path}/*"), through, out),
        Some("object") => {
            for (name, field) in node["properties"].as_object().into_iter().flatten() {
                lengths_below(schema, field, &format!("{path}/{name}"), through, out);
            }
        }
        _ => {}
    }
}

/// `AWS::EC2::VPC.Id` → `crate::Id<crate::aws::ec2::Vpc>`, for types in the model.
/// A `relationshipRef` (`{"typeName": "AWS::EC2::VPC", "propertyPath": "/properties/VpcId"}`)
/// as the format it amounts to (`AWS::EC2::VPC.Id`), when the property it points at is
/// an id, an ARN or a name.
fn relationship(node: &Json) -> Option<String> {
    let relationship = &node["relationshipRef"];
    let type_name = relationship["typeName"].as_str()?;
    let property = relationship["propertyPath"].as_str()?.rsplit('/').next()?;
    let kind = ["Arn", "Id", "Name"]
        .into_iter()
        .find(|k| property.ends_with(k) || property.ends_with(&k.to_uppercase()))?;
    Some(format!("{type_name}.{kind}"))
}

/// The reference a single `format` names: its kind of the type.
fn single_reference(
    format: &str,
    types: &BTreeMap<String, (String, String)>,
) -> Option<TokenStream> {
    let (type_name, kind) = format.rsplit_once('.')?;
    let type_name = config::FORMAT_ALIASES
        .iter()
        .find(|(alias, _)| *alias == type_name)
        .map_or(type_name, |(_, real)| real);
    let (service, struct_name) = types.get(type_name)?;
    let kind = match kind {
        "Id" | "Ids" => Kind::Id,
        "Arn" | "Arns" => Kind::Arn,
        "Name" | "Names" | "AliasName" => Kind::Name,
        "Url" | "Urls" => Kind::Url,
        "StreamArn" => Kind::StreamArn,
        _ => return None,
    };
    let kind = format_ident!("{}", kind.type_name());
    let module = format_ident!("{}", service);
    let struct_name = format_ident!("{}", struct_name);
    Some(quote!(crate::#kind<crate::aws::#module::#struct_name>))
}

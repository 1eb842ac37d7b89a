package schema

// ParseYAML parses a YAML file into a Value under the catalog's rules (no
// aliases, no duplicate keys, one document). Tools that read side files
// such as permcat.gen.yaml use it for positioned errors.
func ParseYAML(file string, data []byte) (*Value, Errors) { return parseYAML(file, data) }

import HTTPTypes

extension HTTPFields {
    /// The value of the field named `name`, a repeated field's values joined
    /// with ", ", as `subscript(_: HTTPField.Name)` gives it (cookies
    /// aside), in one pass over the fields.
    ///
    /// The subscript builds a lazy sequence of the matches and joins it
    /// even for one value: 3 to 5 K instructions a lookup, and building an
    /// upstream request looks up four or five.
    func joinedValue(_ name: HTTPField.Name) -> String? {
        var joined: String?
        for field in self where field.name == name {
            joined = joined.map { $0 + ", " + field.value } ?? field.value
        }
        return joined
    }
}

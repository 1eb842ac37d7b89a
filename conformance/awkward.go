package conformance

import "github.com/permcat/permcat/schema"

// Awkward returns a small catalog built to break generators: its strings
// hold quotes, backslashes, "${", "*/", "@" tags, every kind of line break
// (including U+2028 and U+2029), a NUL, tabs and emoji; its keys include
// names an object-based lookup would find by accident ("constructor",
// "to_string"); it has a deprecated permission, former keys, a scope,
// nested groups, conditional grants and an implying permission a profile
// relies on.
func Awkward() *schema.Catalog {
	b := newBuilder("awkward", `The "awkward" catalog \ */`, "Line one\nline two\u2028line three\u2029line four ${notATemplate} `tick` 🔐")
	facility := b.scope("facility", "A licensed facility */ with a \"quoted\" name.")
	night := b.condition("night_shift", "The team member works nights; their manager's \"see all\" switch is on.\r\nSecond line.")
	weekend := b.condition("weekend", "@deprecated is not a tag here */ /* nor this")

	ctor := b.group(nil, "constructor", `Construction \ Building`)
	ctor.Description = "Everything */ about building.\n@see nothing"
	ctor.Location = "Backoffice > Settings > \"Construction\""
	view := b.permission(ctor, "view", "View \"Construction\"", "Allows users to view it.\u2028Really.", 3)
	edit := b.permission(ctor, "to_string", `Edit C:\path\`, "Needs view. */ /** @deprecated no */", 7)
	edit.Requires = []*schema.Permission{view}
	edit.Formerly = []string{"constructor.edit", "old.constructor"}
	manage := b.permission(ctor, "manage", "Manage ${all} \U0001F510", "Implies edit and view.\ttabbed\x00nul", 8)
	manage.Implies = []*schema.Permission{edit, view}

	proto := b.group(ctor, "proto", "Proto\u2029type")
	proto.Scope = facility
	sync := b.permission(proto, "sync", "Sync */", "Sync with \\u2028 written out, not the character.", 1)
	sync.Deprecated = "Use constructor.manage instead. It */ ends nothing; @see also \"that\"."
	sync.Formerly = []string{"constructor.sync"}

	tags := b.group(nil, "value_of", "Value of")
	tags.Location = "Line\nbreak"
	count := b.permission(tags, "has_own_property", "Has own property", "", 12)
	count.Aliases = []string{"hasOwnProperty"}

	admin := b.role("constructor", "Admin \"constructor\"")
	admin.Description = "Everything. */"
	admin.Landing = ctor
	for _, p := range []*schema.Permission{manage, sync, count} {
		b.grant(admin, p)
	}
	night2 := b.role("to_string", "Night */ staff")
	night2.Landing = proto
	b.grant(night2, view)
	b.grant(night2, edit, night)
	b.grant(night2, manage, weekend)
	b.grant(night2, count, night, weekend)
	b.role("nobody", "Nobody")

	b.profile("constructor", "Reverse \"sync\" user */", view, edit, sync).Description = "Must hold\u2028all of it."
	b.profile("value_of", "Counter", count)
	return b.finish()
}

package diff

import (
	"fmt"
	"strings"
)

// Category says whom a change can break. Only WIRE is breaking unless
// Options.FailOn names more.
type Category string

// The categories, from most to least severe; findings sort in this order.
const (
	// Wire changes break persisted data or other services: stored keys or
	// IDs that stop parsing, or mean something else.
	Wire Category = "WIRE"
	// Source changes break code that imports the generated packages.
	Source Category = "SOURCE"
	// Access changes change who may do what; they need a reviewer, not a fix.
	Access Category = "ACCESS"
	// Safe changes break nothing.
	Safe Category = "SAFE"
)

// Categories lists every category in severity order.
var Categories = []Category{Wire, Source, Access, Safe}

func (c Category) rank() int {
	for i, x := range Categories {
		if x == c {
			return i
		}
	}
	return len(Categories)
}

// ParseCategory accepts a category name in any case ("source", "ACCESS").
func ParseCategory(s string) (Category, error) {
	for _, c := range Categories {
		if strings.EqualFold(strings.TrimSpace(s), string(c)) {
			return c, nil
		}
	}
	return "", fmt.Errorf("unknown category %q (expected one of wire, source, access, safe)", s)
}

// Rule is one kind of change permcat diff reports. IDs are stable: CI
// configurations name them in --allow.
type Rule struct {
	ID       string
	Purpose  string
	Category Category
}

// Rule IDs, so that code that produces or inspects findings cannot misspell
// them. Each appears exactly once in Rules.
const (
	PermissionDeleted                = "PERMISSION_DELETED"
	PermissionRenamedWithoutFormerly = "PERMISSION_RENAMED_WITHOUT_FORMERLY"
	IDChanged                        = "ID_CHANGED"
	IDReused                         = "ID_REUSED"
	FormerlyKeyDropped               = "FORMERLY_KEY_DROPPED"
	PermissionScopeChanged           = "PERMISSION_SCOPE_CHANGED"
	RoleDeleted                      = "ROLE_DELETED"
	ConditionDeleted                 = "CONDITION_DELETED"
	ProfileDeleted                   = "PROFILE_DELETED"
	ScopeDeleted                     = "SCOPE_DELETED"

	GoNameChanged               = "GO_NAME_CHANGED"
	TSNameChanged               = "TS_NAME_CHANGED"
	GroupDeleted                = "GROUP_DELETED"
	DeprecatedPermissionDeleted = "DEPRECATED_PERMISSION_DELETED"

	RoleGainsPermission   = "ROLE_GAINS_PERMISSION"
	RoleLosesPermission   = "ROLE_LOSES_PERMISSION"
	RoleGrantScopeChanged = "ROLE_GRANT_SCOPE_CHANGED"
	RequirementAdded      = "REQUIREMENT_ADDED"
	ImpliesAdded          = "IMPLIES_ADDED"
	ImpliesRemoved        = "IMPLIES_REMOVED"
	ProfileTightened      = "PROFILE_TIGHTENED"

	PermissionAdded        = "PERMISSION_ADDED"
	PermissionMoved        = "PERMISSION_MOVED"
	PermissionDeprecated   = "PERMISSION_DEPRECATED"
	PermissionUndeprecated = "PERMISSION_UNDEPRECATED"
	GroupAdded             = "GROUP_ADDED"
	GroupMoved             = "GROUP_MOVED"
	RoleAdded              = "ROLE_ADDED"
	RoleLandingChanged     = "ROLE_LANDING_CHANGED"
	ProfileAdded           = "PROFILE_ADDED"
	ProfileLoosened        = "PROFILE_LOOSENED"
	ConditionAdded         = "CONDITION_ADDED"
	ScopeAdded             = "SCOPE_ADDED"
	RequirementRemoved     = "REQUIREMENT_REMOVED"
	NameChanged            = "NAME_CHANGED"
	DescriptionChanged     = "DESCRIPTION_CHANGED"
)

// Rules is every rule, in the order of the categories. It is data in the
// manner of buf's breaking rules: documentation and --allow validation read
// it, and a test checks that Compare emits nothing else.
var Rules = []Rule{
	{PermissionDeleted, "A permission was removed without being deprecated first: stored keys and IDs stop parsing.", Wire},
	{PermissionRenamedWithoutFormerly, "A permission's key changed without `formerly`: stored keys and IDs stop parsing.", Wire},
	{IDChanged, "A permission kept its key but got another lock ID: stored IDs and bitmasks change meaning.", Wire},
	{IDReused, "A new permission took a lock ID the old catalog used for another key.", Wire},
	{FormerlyKeyDropped, "A former key the old catalog still accepted is no longer accepted.", Wire},
	{PermissionScopeChanged, "A permission is bound to another scope (or gained or lost one): stored grants change shape.", Wire},
	{RoleDeleted, "A role was removed: stored role assignments stop parsing.", Wire},
	{ConditionDeleted, "A condition was removed (or renamed): stored references to its key and services that set it break.", Wire},
	{ProfileDeleted, "A profile was removed: services that check it break.", Wire},
	{ScopeDeleted, "A scope was removed: grants stored per scope lose their meaning.", Wire},

	{GoNameChanged, "A generated Go identifier changed: code that imports the package stops compiling.", Source},
	{TSNameChanged, "A generated TypeScript identifier changed: code that imports the module stops compiling.", Source},
	{GroupDeleted, "A group was removed: its generated Group constant disappears.", Source},
	{DeprecatedPermissionDeleted, "A deprecated permission was removed: its generated constant disappears.", Source},

	{RoleGainsPermission, "A role holds a permission under conditions where it did not before (effective, after implies and extends).", Access},
	{RoleLosesPermission, "A role no longer holds a permission under some conditions (effective, after implies and extends).", Access},
	{RoleGrantScopeChanged, "A role holds a permission bound to another scope: its grant changed, or the permission's own scope did.", Access},
	{RequirementAdded, "A permission requires another one: sets that held it alone become invalid.", Access},
	{ImpliesAdded, "A permission implies another one: every set that holds it grants more.", Access},
	{ImpliesRemoved, "A permission no longer implies another one: sets that relied on it grant less.", Access},
	{ProfileTightened, "A profile requires more permissions: holders that satisfied it may no longer.", Access},

	{PermissionAdded, "A permission was added.", Safe},
	{PermissionMoved, "A permission's key changed and `formerly` keeps the old key parsing with the same ID.", Safe},
	{PermissionDeprecated, "A permission was marked deprecated.", Safe},
	{PermissionUndeprecated, "A permission is no longer deprecated.", Safe},
	{GroupAdded, "A group was added.", Safe},
	{GroupMoved, "A group's key changed and `formerly` carries its permissions along.", Safe},
	{RoleAdded, "A role was added.", Safe},
	{RoleLandingChanged, "A role lands on another section after login.", Safe},
	{ProfileAdded, "A profile was added.", Safe},
	{ProfileLoosened, "A profile requires fewer permissions.", Safe},
	{ConditionAdded, "A condition was added.", Safe},
	{ScopeAdded, "A scope was added.", Safe},
	{RequirementRemoved, "A permission no longer requires another one.", Safe},
	{NameChanged, "A display name changed; keys are the identity.", Safe},
	{DescriptionChanged, "A description changed.", Safe},
}

// RuleByID finds a rule.
func RuleByID(id string) (Rule, bool) {
	for _, r := range Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

func categoryOf(id string) Category {
	r, ok := RuleByID(id)
	if !ok {
		// Unreachable for findings Compare makes (a test checks every
		// emitted ID); ranks last rather than panicking.
		return Safe
	}
	return r.Category
}

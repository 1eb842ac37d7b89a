// Package templates embeds the text templates for the TypeScript, SQL and docs targets.
package templates

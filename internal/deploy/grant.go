package deploy

import (
	"context"
	"fmt"
	"strings"

	"securemedia/internal/config"
	"securemedia/license"
	"securemedia/media"
)

// NameError is a user or a media id given to an operator command that
// names none of those known, or more than one (a prefix).
type NameError struct {
	// What is "user" or "media".
	What string
	Name string
	// Candidates are the ids the prefix Name begins (some of them, when
	// many); empty when Name names nothing.
	Candidates []string
}

// maxCandidates bounds the candidates a NameError lists.
const maxCandidates = 5

func (e *NameError) Error() string {
	if len(e.Candidates) == 0 {
		return fmt.Sprintf("no %s %q", e.What, e.Name)
	}
	return fmt.Sprintf("%s %q is ambiguous: it begins %s", e.What, e.Name, strings.Join(e.Candidates, ", "))
}

// ResolveGrant resolves the user and the media an operator's `license
// grant` names, so that no license is granted to someone or for something
// that does not exist: the user must be registered in s and the media an
// item of the media store in c's data_dir, each named by its whole id or
// by a prefix that begins it alone. A name that matches nothing, or more
// than one, is a *NameError.
func ResolveGrant(ctx context.Context, c *config.Server, s license.Store, user, mediaID string) (string, string, error) {
	users, err := s.ListUsers(ctx)
	if err != nil {
		return "", "", err
	}
	userIDs := make([]string, len(users))
	for i, u := range users {
		userIDs[i] = u.ID
	}
	u, err := resolveName("user", user, userIDs)
	if err != nil {
		return "", "", err
	}
	items, err := media.IDs(c.Path(c.DataDir))
	if err != nil {
		return "", "", err
	}
	itemIDs := make([]string, len(items))
	for i, id := range items {
		itemIDs[i] = id.String()
	}
	m, err := resolveName("media", strings.ToLower(mediaID), itemIDs)
	if err != nil {
		return "", "", err
	}
	return u, m, nil
}

// resolveName returns the one of ids that is name, or else the one that
// name begins.
func resolveName(what, name string, ids []string) (string, error) {
	var found []string
	for _, id := range ids {
		if id == name {
			return id, nil
		}
		if name != "" && strings.HasPrefix(id, name) {
			found = append(found, id)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	return "", &NameError{What: what, Name: name, Candidates: found[:min(len(found), maxCandidates)]}
}

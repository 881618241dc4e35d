package deploy

import (
	"context"
	"fmt"
	"time"

	"securemedia/content"
	"securemedia/internal/config"
	"securemedia/license"
	"securemedia/media"
)

// MediaRemovedReason is the revocation reason of the licenses that
// RemoveMedia revokes, as the audit log records it.
const MediaRemovedReason = "media removed by the operator"

// ActiveLicensesError refuses to remove an item that viewers still hold
// playable licenses for: they paid for views or a period that would
// silently vanish with it.
type ActiveLicensesError struct {
	Media    content.ID
	Licenses []license.License
}

func (e *ActiveLicensesError) Error() string {
	return fmt.Sprintf("media %s: %d active license(s) (the first of user %s, %s): not removed",
		e.Media, len(e.Licenses), e.Licenses[0].UserID, e.Licenses[0].Remaining(time.Now()))
}

// RemoveMedia removes item id from the store s, unless licenses a play
// could still use are held for it in the license store of cfg: then it
// refuses with *ActiveLicensesError, or, with revoke, first revokes each
// of them (audited, with MediaRemovedReason) and returns them. Licenses
// are revoked before the item goes, so that a failure leaves the item in
// place rather than licenses for nothing. A damaged item is removed as
// any other (its licenses are found by id).
func RemoveMedia(ctx context.Context, cfg *config.Server, s *media.Store, id content.ID, revoke bool, now time.Time) ([]license.License, error) {
	st, err := OpenLicenseStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	all, err := st.List(ctx, license.Filter{MediaID: id.String()})
	if err != nil {
		return nil, err
	}
	var active []license.License
	for _, l := range all {
		if l.Playable(now) == nil {
			active = append(active, l)
		}
	}
	if len(active) > 0 && !revoke {
		return nil, &ActiveLicensesError{Media: id, Licenses: active}
	}
	for i, l := range active {
		if err := st.Revoke(ctx, l.ID, MediaRemovedReason, now); err != nil {
			return active[:i], fmt.Errorf("media %s: revoke license %s: %w (not removed)", id, l.ID, err)
		}
	}
	return active, s.Remove(id)
}

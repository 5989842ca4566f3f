package graph

import (
	"context"
	"errors"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/capedigital/cape-gateway/loaders"
	"github.com/capedigital/cape-gateway/upstream"
)

// loadOne resolves an optional related record: no id or an id the upstream does
// not know is null without an error.
func loadOne[U, M any](ctx context.Context, l *dataloader.Loader[string, *U], id *string,
	conv func(*U) *M,
) (*M, error) {
	if id == nil || *id == "" {
		return nil, nil
	}
	v, err := l.Load(ctx, *id)()
	if errors.Is(err, loaders.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return conv(v), nil
}

// loadList resolves a list of related records in the order of ids, leaving out
// ids the upstream does not know.
func loadList[U, M any](ctx context.Context, l *dataloader.Loader[string, *U], ids []string,
	conv func(*U) *M,
) ([]*M, error) {
	if len(ids) == 0 {
		return []*M{}, nil
	}
	// Ask for every id before waiting for any, so that they share a batch, then
	// wait in order: LoadMany would start a goroutine per id to do the same.
	thunks := make([]dataloader.Thunk[*U], len(ids))
	for i, id := range ids {
		thunks[i] = l.Load(ctx, id)
	}
	out := make([]*M, 0, len(ids))
	for _, thunk := range thunks {
		v, err := thunk()
		if errors.Is(err, loaders.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, conv(v))
	}
	return out, nil
}

// getOne resolves a top-level lookup by id: an id the upstream does not know is
// null without an error.
func getOne[U, M any](ctx context.Context, get func(context.Context, string) (*U, error),
	id string, conv func(*U) *M,
) (*M, error) {
	v, err := get(ctx, id)
	if upstream.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return conv(v), nil
}

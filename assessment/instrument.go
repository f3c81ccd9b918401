package assessment

// ID is the instrument's identifier ("triage", "eheals", ...).
func (in *Instrument) ID() string { return in.def.ID }

// Version is the instrument file's version.
func (in *Instrument) Version() string { return in.def.Version }

// Title is the instrument's name for people.
func (in *Instrument) Title() Text { return in.def.Title }

// Adaptive reports whether a session stops asking the items that only
// decide the level once the level is certain.
func (in *Instrument) Adaptive() bool { return in.def.Adaptive }

// Definition returns a copy of the instrument file the instrument was
// compiled from. Its slices are shared: do not modify them.
func (in *Instrument) Definition() Definition { return in.def }

// Items returns the items in the order they are asked. The slice is
// shared: do not modify it.
func (in *Instrument) Items() []Item { return in.def.Items }

// Item returns the item with id.
func (in *Instrument) Item(id string) (Item, bool) {
	k, ok := in.index[id]
	if !ok {
		return Item{}, false
	}
	return in.def.Items[k], true
}

// ItemIDs returns the item ids in order.
func (in *Instrument) ItemIDs() []string {
	ids := make([]string, len(in.items))
	for k, it := range in.items {
		ids[k] = it.id
	}
	return ids
}

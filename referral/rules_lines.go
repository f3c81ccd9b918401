package referral

import (
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v4"
)

// ruleLineIndex maps the JSON pointers of a document to the lines they start
// on. sigs.k8s.io/yaml turns YAML into JSON and loses the lines, so the
// document is parsed a second time as YAML nodes (JSON is YAML too) only to
// place problems in the file.
type ruleLineIndex map[string]int

func newRuleLineIndex(data []byte) ruleLineIndex {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil
	}
	idx := ruleLineIndex{}
	idx.walk(&root, "")
	return idx
}

func (idx ruleLineIndex) walk(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			idx.walk(c, path)
		}
		return
	case yaml.AliasNode:
		if n.Alias != nil {
			idx[path] = n.Line
		}
		return
	}
	if _, ok := idx[path]; !ok {
		idx[path] = n.Line
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := path + "/" + escapePointer(k.Value)
			idx[p] = k.Line
			idx.walk(v, p)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			idx.walk(c, path+"/"+strconv.Itoa(i))
		}
	}
}

// line returns the line of path, or of its closest ancestor present in the
// file (a missing property is placed on its parent); 0 when unknown.
func (idx ruleLineIndex) line(path string) int {
	for {
		if l, ok := idx[path]; ok {
			return l
		}
		i := strings.LastIndexByte(path, '/')
		if i < 0 {
			return 0
		}
		path = path[:i]
	}
}

// lineCount counts lines as YAML does: \n, \r\n and a lone \r each end
// one.
func lineCount(data []byte) int {
	n := 1
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\n':
			n++
		case '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			n++
		}
	}
	return n
}

// placeProblems sets the line of every problem that has none, never past
// the end of data (YAML places an empty document after its "---").
func (idx ruleLineIndex) placeProblems(ps []RulesProblem, data []byte) {
	last := lineCount(data)
	for i := range ps {
		if ps[i].Line == 0 {
			ps[i].Line = idx.line(ps[i].Path)
		}
		ps[i].Line = min(ps[i].Line, last)
	}
}

func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

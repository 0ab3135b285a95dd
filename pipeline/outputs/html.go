package outputs

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"
)

//go:embed report.html
var reportHTML string

// reportTemplate is parsed once; a broken template is a bug, so it panics at
// start-up rather than at the end of a night's run.
var reportTemplate = template.Must(template.New("report.html").Funcs(template.FuncMap{
	"n": func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
}).Parse(reportHTML))

// writeHTML writes the self-contained report: styles inline, charts as
// inline SVG, nothing fetched from anywhere.
func writeHTML(w io.Writer, r *Report) error {
	return reportTemplate.Execute(w, newHTMLDoc(r))
}

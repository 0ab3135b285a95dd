package outputs

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromiumPath is Debian's chromium (apt-get install -y chromium).
const chromiumPath = "/usr/bin/chromium"

// The browser tests render the report in headless Chromium: the DOM must
// hold every figure, nothing may be wider than an A4 page, and the printed
// PDF must start each plan on a new page. SCORECARD_TEST_ARTIFACTS=<dir>
// keeps the screenshot and the PDF for a person to look at.
func TestHTMLInBrowser(t *testing.T) {
	run := chromium(t)
	dir := t.TempDir()
	r := testReport(t)
	path := filepath.Join(dir, "report.html")
	page := loadFile(t, Config{Kind: "html", Path: path}, r)
	keep(t, path)

	dom := string(run("--dump-dom", "file://"+path))
	checkHTMLFigures(t, dom, r)
	checkHeadlines(t, dom, r)

	checkNothingWiderThanA4(t, run, dir, page)

	shot := filepath.Join(dir, "report.png")
	run("--screenshot="+shot, "--window-size=1240,1754", "file://"+path)
	if png, err := os.ReadFile(shot); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) || len(png) < 50_000 {
		t.Errorf("screenshot %s: %d bytes, %v", shot, len(png), err)
	}
	keep(t, shot)
	checkPages(t, run, dir, r)
	shootForecast(t, run, dir, page, "2024")
}

// TestHTMLForecastInBrowser: a running year of twelve targets, the most the built-in plans
// have: its forecast part fits the A4 width and takes one or two pages of its own.
func TestHTMLForecastInBrowser(t *testing.T) {
	run := chromium(t)
	dir := t.TempDir()
	r := runningReport(t)
	path := filepath.Join(dir, "running.html")
	page := loadFile(t, Config{Kind: "html", Path: path}, r)
	checkNothingWiderThanA4(t, run, dir, page)
	pages := func(name string, rep *Report) int {
		html := filepath.Join(dir, name+".html")
		loadFile(t, Config{Kind: "html", Path: html}, rep)
		pdf := filepath.Join(dir, name+".pdf")
		run("--no-pdf-header-footer", "--print-to-pdf="+pdf, "file://"+html)
		return countPDFPages(t, pdf)
	}
	bare := *r
	bare.Forecast = nil
	with, without := pages("running", r), pages("bare", &bare)
	t.Logf("pages: plan 2020 as of 30 September 2020, %d, %d without its forecast", with, without)
	if d := with - without; d < 1 || d > 2 {
		t.Errorf("the forecast part of twelve targets prints on %d pages, want 1 or 2", d)
	}
	shootForecast(t, run, dir, page, "2020")
}

// shootForecast takes a screenshot of a plan's forecast part alone, 180 mm wide as printed,
// for a person to look at (SCORECARD_TEST_ARTIFACTS): a copy of the page hides the rest.
func shootForecast(t *testing.T, run func(...string) []byte, dir string, page []byte, plan string) {
	hide := `<style>.plan:not([data-plan="` + plan + `"]), .plan > :not(.forecast) { display: none }
.plan, .forecast { margin: 0 !important; border: 0 !important; padding: 0 !important } body { padding: 0 }</style></head>`
	alone := filepath.Join(dir, "forecast-"+plan+".html")
	if err := os.WriteFile(alone, bytes.Replace(page, []byte("</head>"), []byte(hide), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "forecast-"+plan+".png")
	run("--screenshot="+shot, "--window-size=681,1400", "--hide-scrollbars", "file://"+alone)
	if png, err := os.ReadFile(shot); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("screenshot %s: %v", shot, err)
	}
	keep(t, shot)
}

// checkNothingWiderThanA4 lays the page out 180 mm wide (A4 less the 15 mm
// margins) and has a script list the elements that stick out. The script
// is added to a copy for the test only; the report itself has none.
func checkNothingWiderThanA4(t *testing.T, run func(...string) []byte, dir string, page []byte) {
	const probe = `<script>
(function () {
  var w = document.documentElement.clientWidth, bad = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var b = e.getBoundingClientRect();
    if (b.right > w + 0.5 || b.left < -0.5) bad.push(e.tagName + '.' + e.getAttribute('class'));
  });
  document.body.setAttribute('data-overflow', bad.slice(0, 10).join(' ') || 'none');
  document.body.setAttribute('data-scroll', document.documentElement.scrollWidth + '/' + w);
})();
</script></body>`
	probed := filepath.Join(dir, "probe.html")
	if err := os.WriteFile(probed, bytes.Replace(page, []byte("</body>"), []byte(probe), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := string(run("--dump-dom", "--window-size=681,1000", "file://"+probed))
	m := regexp.MustCompile(`data-overflow="([^"]*)" data-scroll="(\d+)/(\d+)"`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the probe did not run:\n%.500s", dom)
	}
	if m[1] != "none" || m[2] != m[3] {
		t.Errorf("wider than the page at 180 mm (%s/%s px): %s", m[2], m[3], m[1])
	}
}

// checkPages prints the report, and each plan alone with and without its forecast part, to
// PDF: a plan's whole contract takes a page of its own first, a plan of three targets then fits
// one page, each plan's "Forventet målopfyldelse" part
// takes exactly one page of its own after it (the running year's with its charts, the year
// that is over with its final figures) and leaves the plan's own pages as they were, and the
// full report has exactly the pages of its plans, so each plan starts on a page of its own.
func checkPages(t *testing.T, run func(...string) []byte, dir string, r *Report) {
	pages := func(name string, forecast bool, plans ...int) int {
		sub := *r
		sub.Plans = nil
		for _, i := range plans {
			sub.Plans = append(sub.Plans, r.Plans[i])
		}
		if !forecast {
			sub.Forecast = nil
		}
		html := filepath.Join(dir, name+".html")
		loadFile(t, Config{Kind: "html", Path: html}, &sub)
		pdf := filepath.Join(dir, name+".pdf")
		run("--no-pdf-header-footer", "--print-to-pdf="+pdf, "file://"+html)
		if name == "report" {
			keep(t, pdf)
		}
		return countPDFPages(t, pdf)
	}
	all, p2020, p2024 := pages("report", true, 0, 1), pages("plan2020", true, 0), pages("plan2024", true, 1)
	bare2020, bare2024 := pages("bare2020", false, 0), pages("bare2024", false, 1)
	t.Logf("pages: report %d, plan 2020 (12 targets) %d (%d without its forecast), plan 2024 (3 targets) %d (%d without)",
		all, p2020, bare2020, p2024, bare2024)
	if bare2024 != 2 || p2024 != 3 {
		t.Errorf("plan 2024 prints on %d pages, %d without its forecast; want 3 and 2 (its contract on a page of its own)", p2024, bare2024)
	}
	if bare2020 < 3 || bare2020 > 6 {
		t.Errorf("plan 2020 prints on %d pages without its forecast, want 3 to 6 (its contract, an overview, then 12 targets about 4 a page)", bare2020)
	}
	if p2020 != bare2020+1 {
		t.Errorf("plan 2020 prints on %d pages, want %d + 1: its year is over, and its final figures take a page of their own", p2020, bare2020)
	}
	if all != p2020+p2024 {
		t.Errorf("the report prints on %d pages, want %d + %d: each plan on pages of its own", all, p2020, p2024)
	}
}

// countPDFPages counts the page objects, "/Type /Page" but not "/Pages".
func countPDFPages(t *testing.T, path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(data, -1))
}

// chromium returns a function that runs headless Chromium with args, or
// skips the test when there is none.
func chromium(t *testing.T) func(args ...string) []byte {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped under -short")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("browser test skipped: no %s (apt-get install -y chromium)", chromiumPath)
	}
	profile := t.TempDir()
	return func(args ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir=" + profile}
		cmd := exec.CommandContext(ctx, chromiumPath, append(base, args...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return stdout.Bytes()
	}
}

// keep copies a file to $SCORECARD_TEST_ARTIFACTS, when set.
func keep(t *testing.T, path string) {
	dir := os.Getenv("SCORECARD_TEST_ARTIFACTS")
	if dir == "" {
		return
	}
	data, err := os.ReadFile(path)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, filepath.Base(path)), data, 0o644)
	}
	if err != nil {
		t.Error(err)
	}
	t.Logf("kept %s in %s", filepath.Base(path), dir)
}

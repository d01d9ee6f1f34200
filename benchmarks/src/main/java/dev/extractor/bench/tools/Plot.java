package dev.extractor.bench.tools;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Draws per-element cost vs response size, log-log, from JMH JSON results: ours vs naive vs the floor (and
 * one-shot), for content deltas and, when present, SSE bytes. No plotting library: Java2D.
 *
 * <pre>{@code java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar dev.extractor.bench.tools.Plot \
 *     out.png results/content.json results/naive.json ...}</pre>
 */
public final class Plot {

    private static final int W = 1000;
    private static final int H = 680;
    private static final int LEFT = 90;
    private static final int RIGHT = 330;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;

    record Series(String label, Color color, boolean dashed, TreeMap<Integer, Double> points) { }

    private Plot() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        JmhResults r = JmhResults.read(List.of(args).subList(1, args.length));
        List<Series> series = new ArrayList<>();
        add(series, r, "ContentThroughput", "ours", "ours (content deltas)", new Color(0x1f77b4), false);
        add(series, r, "SseThroughput", "ours", "ours (SSE bytes)", new Color(0x17becf), false);
        add(series, r, "SseThroughput", "oursLocalDecoder", "bench decoder + core (SSE bytes)", new Color(0x17becf),
                true);
        add(series, r, "ContentThroughput", "oneShot", "Jackson one-shot + validation", new Color(0x2ca02c), false);
        add(series, r, "ContentThroughput", "floorTokenize", "Jackson tokenize (floor)", new Color(0x7f7f7f), false);
        add(series, r, "SseThroughput", "floorTokenize", "Jackson tokenize SSE chunks (floor)", new Color(0x7f7f7f),
                true);
        add(series, r, "NaiveThroughput", "naive", "naive re-parse per delta", new Color(0xd62728), false);
        add(series, r, "SseNaiveThroughput", "naive", "naive (SSE bytes)", new Color(0xd62728), true);
        draw(series, new File(args[0]));
    }

    private static void add(List<Series> out, JmhResults r, String cls, String method, String label, Color c,
                            boolean dashed) {
        TreeMap<Integer, Double> pts = new TreeMap<>();
        for (JmhResults.Row x : r.rows) {
            if (x.clazz().equals(cls) && x.method().equals(method) && (x.mode().equals("avgt") || x.mode().equals("ss"))) {
                int size = x.intParam("size");
                pts.put(size, JmhResults.micros(x) / size);
            }
        }
        if (!pts.isEmpty()) {
            out.add(new Series(label, c, dashed, pts));
        }
    }

    static void draw(List<Series> series, File file) throws Exception {
        double xmin = Double.MAX_VALUE;
        double xmax = 0;
        double ymin = Double.MAX_VALUE;
        double ymax = 0;
        for (Series s : series) {
            for (var e : s.points().entrySet()) {
                xmin = Math.min(xmin, e.getKey());
                xmax = Math.max(xmax, e.getKey());
                ymin = Math.min(ymin, e.getValue());
                ymax = Math.max(ymax, e.getValue());
            }
        }
        double lx0 = Math.floor(Math.log10(xmin));
        double lx1 = Math.ceil(Math.log10(xmax));
        double ly0 = Math.floor(Math.log10(ymin));
        double ly1 = Math.ceil(Math.log10(ymax));
        if (lx1 == lx0) {
            lx1++;
        }
        if (ly1 == ly0) {
            ly1++;
        }
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        // grid and ticks
        for (double d = lx0; d <= lx1 + 1e-9; d++) {
            for (int k = 1; k < 10 && d + Math.log10(k) <= lx1 + 1e-9; k++) {
                int x = LEFT + (int) Math.round((d + Math.log10(k) - lx0) / (lx1 - lx0) * pw);
                g.setColor(k == 1 ? new Color(0xcccccc) : new Color(0xeeeeee));
                g.drawLine(x, TOP, x, TOP + ph);
                if (k == 1) {
                    g.setColor(Color.DARK_GRAY);
                    String t = String.format(Locale.ROOT, "%,d", (long) Math.pow(10, d));
                    g.drawString(t, x - fm.stringWidth(t) / 2, TOP + ph + 18);
                }
            }
        }
        for (double d = ly0; d <= ly1 + 1e-9; d++) {
            for (int k = 1; k < 10 && d + Math.log10(k) <= ly1 + 1e-9; k++) {
                int y = TOP + ph - (int) Math.round((d + Math.log10(k) - ly0) / (ly1 - ly0) * ph);
                g.setColor(k == 1 ? new Color(0xcccccc) : new Color(0xeeeeee));
                g.drawLine(LEFT, y, LEFT + pw, y);
                if (k == 1) {
                    g.setColor(Color.DARK_GRAY);
                    double v = Math.pow(10, d);
                    String t = v >= 1 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%s",
                            Double.toString(v).replaceAll("0+$", ""));
                    g.drawString(t, LEFT - 8 - fm.stringWidth(t), y + 5);
                }
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        g.setFont(font.deriveFont(Font.BOLD, 16f));
        g.drawString("Per-element cost vs response size (log-log; lower is better)", LEFT, TOP - 25);
        g.setFont(font);
        String xl = "elements in the answer";
        g.drawString(xl, LEFT + pw / 2 - fm.stringWidth(xl) / 2, TOP + ph + 45);
        Graphics2D gr = (Graphics2D) g.create();
        gr.rotate(-Math.PI / 2);
        String yl = "µs per element";
        gr.drawString(yl, -(TOP + ph / 2) - fm.stringWidth(yl) / 2, 25);
        gr.dispose();
        // series
        int ly = TOP + 10;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(s.dashed() ? new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                    new float[] {7f, 5f}, 0f) : new BasicStroke(2.5f));
            Path2D path = new Path2D.Double();
            boolean first = true;
            for (var e : s.points().entrySet()) {
                double x = LEFT + (Math.log10(e.getKey()) - lx0) / (lx1 - lx0) * pw;
                double y = TOP + ph - (Math.log10(e.getValue()) - ly0) / (ly1 - ly0) * ph;
                if (first) {
                    path.moveTo(x, y);
                    first = false;
                } else {
                    path.lineTo(x, y);
                }
                g.fillOval((int) x - 4, (int) y - 4, 8, 8);
            }
            g.draw(path);
            g.drawLine(LEFT + pw + 20, ly, LEFT + pw + 50, ly);
            g.setColor(Color.BLACK);
            g.drawString(s.label(), LEFT + pw + 58, ly + 5);
            ly += 24;
        }
        g.dispose();
        ImageIO.write(img, "png", file);
    }
}

package dev.extractor.examples;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the shop knows about a customer: the input of the ranking.
 *
 * @param recentPurchases what they bought lately
 * @param ratings how they rated those purchases
 * @param browsedCategories categories they browsed
 * @param searches what they searched for
 * @param preferredBrands brands they like
 * @param avoidedBrands brands they do not want
 * @param loyaltyTier their loyalty programme tier
 * @param monthlyBudgetUsd what they spend in a month, roughly, in US dollars
 */
public record CustomerProfile(
        List<String> recentPurchases,
        List<String> ratings,
        List<String> browsedCategories,
        List<String> searches,
        List<String> preferredBrands,
        List<String> avoidedBrands,
        String loyaltyTier,
        int monthlyBudgetUsd) {

    /** The demo's customer. */
    public static final CustomerProfile DEFAULT = new CustomerProfile(
            List.of("laptop", "wireless headphones", "smart watch"),
            List.of("laptop 5/5", "wireless headphones 4/5", "smart watch 3/5"),
            List.of("electronics", "books", "fitness"),
            List.of("budget laptops", "sci-fi books", "yoga mats"),
            List.of("Apple", "Allbirds", "Bench"),
            List.of("Philips", "Adidas"),
            "gold",
            500);

    public CustomerProfile {
        recentPurchases = List.copyOf(recentPurchases);
        ratings = List.copyOf(ratings);
        browsedCategories = List.copyOf(browsedCategories);
        searches = List.copyOf(searches);
        preferredBrands = List.copyOf(preferredBrands);
        avoidedBrands = List.copyOf(avoidedBrands);
    }

    /**
     * A profile from a web form: each list is a comma-separated field; a missing or unreadable field keeps the
     * {@link #DEFAULT} value.
     */
    public static CustomerProfile fromForm(Map<String, String> form) {
        Function<String, String> field = name -> form.getOrDefault(name, "").strip();
        return new CustomerProfile(
                list(field.apply("recentPurchases"), DEFAULT.recentPurchases),
                list(field.apply("ratings"), DEFAULT.ratings),
                list(field.apply("browsedCategories"), DEFAULT.browsedCategories),
                list(field.apply("searches"), DEFAULT.searches),
                list(field.apply("preferredBrands"), DEFAULT.preferredBrands),
                list(field.apply("avoidedBrands"), DEFAULT.avoidedBrands),
                field.apply("loyaltyTier").isEmpty() ? DEFAULT.loyaltyTier : field.apply("loyaltyTier"),
                budget(field.apply("monthlyBudgetUsd")));
    }

    /** The profile as the prompt states it, one fact a line. */
    public String describe() {
        return "- recent purchases: " + String.join(", ", recentPurchases) + "\n"
                + "- ratings of those purchases: " + String.join(", ", ratings) + "\n"
                + "- browsed categories: " + String.join(", ", browsedCategories) + "\n"
                + "- searches: " + String.join(", ", searches) + "\n"
                + "- preferred brands: " + String.join(", ", preferredBrands) + "\n"
                + "- brands not wanted: " + String.join(", ", avoidedBrands) + "\n"
                + "- loyalty tier: " + loyaltyTier + "\n"
                + "- spends about $" + monthlyBudgetUsd + " a month\n";
    }

    private static List<String> list(String commaSeparated, List<String> fallback) {
        List<String> items = Arrays.stream(commaSeparated.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        return items.isEmpty() ? fallback : items;
    }

    private static int budget(String text) {
        try {
            return Math.max(0, Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return DEFAULT.monthlyBudgetUsd;
        }
    }
}

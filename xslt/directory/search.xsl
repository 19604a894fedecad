<?xml version="1.0" encoding="UTF-8"?>
<!--
  directory/search.xsl - the partner directory at /directory
  (modules/partner_directory.c).

  Input, inside the core's <page> envelope:

    <directory show="all|people|organisations" q="" region="" industry=""
        tier="" expertise="" organisation="" first="yes|no">
      <region>EMEA</region>...
      <tier slug="" name=""/>...   <area slug="" name=""/>...
      <people more="yes"?><person .../>...<next after="" after-id=""/></people>
      <organisations more="yes"?><organisation .../>...<next .../></organisations>
    </directory>

  A filter form (GET), then people and organisations.  With show="all"
  each list shows its first rows and a "See all" form for the rest; with
  one list, pages are keyset forms carrying the filters and the position,
  so no URL has to be built here.  Only what the handler found is shown:
  the reader's visibility rule is applied in SQL.

  To add a filter, add its input to the form and its attribute to the
  list in carry-filters.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>
  <xsl:include href="cards.xsl"/>

  <xsl:variable name="d" select="/page/directory"/>

  <xsl:template match="page" mode="title">Partner directory</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <h1>Partner directory</h1>
        <p class="muted">Find partner organisations and people by name, region, industry, expertise and tier. You see the people you share a community with and the vendor's staff.</p>
      </div>

      <form class="filters" method="get" action="/directory" role="search" aria-label="Search the directory">
        <div class="field field-grow">
          <label for="q">Name</label>
          <input class="input" type="search" id="q" name="q" value="{$d/@q}"
              placeholder="Person, job title or organisation" autocomplete="off"/>
        </div>
        <div class="field">
          <label for="region">Region</label>
          <select class="input" id="region" name="region">
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="''"/>
              <xsl:with-param name="label" select="'Any'"/>
              <xsl:with-param name="current" select="$d/@region"/>
            </xsl:call-template>
            <xsl:for-each select="$d/region">
              <xsl:call-template name="option">
                <xsl:with-param name="value" select="."/>
                <xsl:with-param name="label" select="."/>
                <xsl:with-param name="current" select="$d/@region"/>
              </xsl:call-template>
            </xsl:for-each>
          </select>
        </div>
        <div class="field">
          <label for="industry">Industry</label>
          <input class="input" type="text" id="industry" name="industry" value="{$d/@industry}"
              placeholder="e.g. Banking" autocomplete="off"/>
        </div>
        <div class="field">
          <label for="expertise">Expertise</label>
          <select class="input" id="expertise" name="expertise">
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="''"/>
              <xsl:with-param name="label" select="'Any'"/>
              <xsl:with-param name="current" select="$d/@expertise"/>
            </xsl:call-template>
            <xsl:for-each select="$d/area">
              <xsl:call-template name="option">
                <xsl:with-param name="value" select="@slug"/>
                <xsl:with-param name="label" select="@name"/>
                <xsl:with-param name="current" select="$d/@expertise"/>
              </xsl:call-template>
            </xsl:for-each>
          </select>
        </div>
        <div class="field">
          <label for="tier">Tier</label>
          <select class="input" id="tier" name="tier">
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="''"/>
              <xsl:with-param name="label" select="'Any'"/>
              <xsl:with-param name="current" select="$d/@tier"/>
            </xsl:call-template>
            <xsl:for-each select="$d/tier">
              <xsl:call-template name="option">
                <xsl:with-param name="value" select="@slug"/>
                <xsl:with-param name="label" select="@name"/>
                <xsl:with-param name="current" select="$d/@tier"/>
              </xsl:call-template>
            </xsl:for-each>
          </select>
        </div>
        <div class="field">
          <label for="show">Show</label>
          <select class="input" id="show" name="show">
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'all'"/>
              <xsl:with-param name="label" select="'Everything'"/>
              <xsl:with-param name="current" select="$d/@show"/>
            </xsl:call-template>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'people'"/>
              <xsl:with-param name="label" select="'People'"/>
              <xsl:with-param name="current" select="$d/@show"/>
            </xsl:call-template>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'organisations'"/>
              <xsl:with-param name="label" select="'Organisations'"/>
              <xsl:with-param name="current" select="$d/@show"/>
            </xsl:call-template>
          </select>
        </div>
        <xsl:if test="$d/@organisation">
          <input type="hidden" name="organisation" value="{$d/@organisation}"/>
        </xsl:if>
        <div class="field field-actions">
          <button class="button button-primary" type="submit">Search</button>
          <a class="button button-quiet" href="/directory">Clear</a>
        </div>
      </form>

      <xsl:if test="$d/people">
        <section class="section" aria-labelledby="people-title">
          <h2 id="people-title">People</h2>
          <xsl:choose>
            <xsl:when test="not($d/people/person)">
              <div class="empty-state">
                <p class="empty-title">No people match.</p>
                <p>You see people who share a community with you, and the vendor's staff.</p>
              </div>
            </xsl:when>
            <xsl:otherwise>
              <xsl:call-template name="people-table">
                <xsl:with-param name="people" select="$d/people/person"/>
              </xsl:call-template>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:call-template name="pager">
            <xsl:with-param name="list" select="$d/people"/>
            <xsl:with-param name="show" select="'people'"/>
            <xsl:with-param name="what" select="'people'"/>
          </xsl:call-template>
        </section>
      </xsl:if>

      <xsl:if test="$d/organisations">
        <section class="section" aria-labelledby="orgs-title">
          <h2 id="orgs-title">Organisations</h2>
          <xsl:choose>
            <xsl:when test="not($d/organisations/organisation)">
              <div class="empty-state">
                <p class="empty-title">No organisations match.</p>
              </div>
            </xsl:when>
            <xsl:otherwise>
              <xsl:call-template name="orgs-table">
                <xsl:with-param name="orgs" select="$d/organisations/organisation"/>
              </xsl:call-template>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:call-template name="pager">
            <xsl:with-param name="list" select="$d/organisations"/>
            <xsl:with-param name="show" select="'organisations'"/>
            <xsl:with-param name="what" select="'organisations'"/>
          </xsl:call-template>
        </section>
      </xsl:if>
    </div>
  </xsl:template>

  <!--
    Below a list: on the combined page, "See all" (the list alone, first
    page); on a list alone, "First page" and "Next page".
  -->
  <xsl:template name="pager">
    <xsl:param name="list"/>
    <xsl:param name="show"/>
    <xsl:param name="what"/>
    <xsl:choose>
      <xsl:when test="$d/@show = 'all'">
        <xsl:if test="$list/@more = 'yes'">
          <nav class="pager" aria-label="More {$what}">
            <xsl:call-template name="page-form">
              <xsl:with-param name="label" select="concat('See all matching ', $what)"/>
              <xsl:with-param name="show" select="$show"/>
            </xsl:call-template>
          </nav>
        </xsl:if>
      </xsl:when>
      <xsl:when test="$d/@first = 'no' or $list/next">
        <nav class="pager" aria-label="Pages">
          <xsl:if test="$d/@first = 'no'">
            <xsl:call-template name="page-form">
              <xsl:with-param name="label" select="'First page'"/>
              <xsl:with-param name="show" select="$show"/>
            </xsl:call-template>
          </xsl:if>
          <xsl:if test="$list/next">
            <xsl:call-template name="page-form">
              <xsl:with-param name="label" select="'Next page'"/>
              <xsl:with-param name="show" select="$show"/>
              <xsl:with-param name="next" select="$list/next"/>
            </xsl:call-template>
          </xsl:if>
        </nav>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- A page link as a GET form: the browser encodes the values. -->
  <xsl:template name="page-form">
    <xsl:param name="label"/>
    <xsl:param name="show"/>
    <xsl:param name="next"/>
    <form class="pager-form" method="get" action="/directory">
      <xsl:for-each select="$d/@q | $d/@region | $d/@industry | $d/@tier | $d/@expertise | $d/@organisation">
        <input type="hidden" name="{name()}" value="{.}"/>
      </xsl:for-each>
      <input type="hidden" name="show" value="{$show}"/>
      <xsl:if test="$next">
        <input type="hidden" name="after" value="{$next/@after}"/>
        <input type="hidden" name="after_id" value="{$next/@after-id}"/>
      </xsl:if>
      <button class="button button-secondary" type="submit"><xsl:value-of select="$label"/></button>
    </form>
  </xsl:template>

</xsl:stylesheet>
